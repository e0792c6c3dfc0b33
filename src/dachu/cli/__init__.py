"""The command line face (`dachu`): Typer commands that call `dachu.app.Workspace` and print."""
