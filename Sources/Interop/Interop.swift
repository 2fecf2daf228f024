// The Interop module: see README "Architecture".
