//go:build !linux

package main

// exitWithParent: no parent-death signal outside Linux; the end of input
// (fluxgate's side of the pipe closing) still ends the process.
func exitWithParent() {}
