"""The batch tool: reading inputs, the command line, the SQLite store and the HTML pages."""
