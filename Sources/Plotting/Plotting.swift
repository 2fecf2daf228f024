// The Plotting module: see README "Architecture".
