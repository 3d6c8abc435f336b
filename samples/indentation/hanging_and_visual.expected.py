def configure(parser):
    parser.add_argument("--name",
                        default="world",
                        help="who to greet")
    options = dict(
        verbose=True,
        quiet=False,
    )
    if (options["verbose"] and
            not options["quiet"]):
        print(options,
              # the comment inside brackets moves with them
              sep="\n")
    return options
