"""The command line: parser, commands and exit codes."""
