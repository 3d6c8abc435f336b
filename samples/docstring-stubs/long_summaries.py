"""A summary that would not fit in line-length is left for a human to write."""


class LiveMigrationTest:
    """Live migration of servers with dedicated CPUs."""

    def test_live_migrate_server_with_pinned_cpus_to_host_with_fewer_cores(self):
        pass

    def test_live_migrate_server_with_pinned_cpus_to_host_without_numa(self):
        pass

    def reticulate_the_splines_of_every_configured_cell_in_the_deployment(self):
        pass
