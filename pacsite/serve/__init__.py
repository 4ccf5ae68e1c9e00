"""The live preview: watch, debounce, build, tell browsers."""
