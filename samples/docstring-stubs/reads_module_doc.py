import argparse


def _main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
