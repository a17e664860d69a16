"""Developer tools with Qt, not used by the program itself: `make screenshots`."""
