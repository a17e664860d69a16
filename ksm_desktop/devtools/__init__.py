"""Developer tools, not used by the program itself: `make documents` renders every printed record
(the GUI's screenshot tool is in ui/devtools, the only place Qt may be imported)."""
