"""``python -m llmchoice`` runs the command line, like the ``llmchoice`` script."""

from llmchoice.cli import main

if __name__ == "__main__":
    main()
