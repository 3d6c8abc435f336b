"""The project the other samples live in: its API client and its functional test base.

resize-guard writes only calls that exist in the project: the default cleanup's
``{receiver}.delete_server(...)`` and ``{self}._delete_server_allocations(...)`` resolve
against these definitions. Nothing here is a resize call site.
"""


class ApiClient:
    def post_server_action(self, server_id, data):
        return self.post(f'/servers/{server_id}/action', data)

    def delete_server(self, server_id):
        return self.delete(f'/servers/{server_id}')


class FunctionalTestBase:
    def _delete_server_allocations(self, server_uuid):
        self.placement.delete(f'/allocations/{server_uuid}')

    def _cleanup_migration(self, server_id, request):
        self.admin_api.abort_migration(server_id, request)
