from milimo.cli.main import run

run()
