// The Training module: see README "Architecture".
