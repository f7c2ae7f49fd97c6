"""The command line (typer only): parses arguments, calls the other rooms, maps errors to exit
codes.
"""
