class Host:
    def init_events(self, factory):
        self.executor = (
    factory.delaying_wrapper(
          delay=15, executor=factory.get_executor(
               factory.DEFAULT)))
        return dict(
            executor=self.executor,
            cells=[
                factory.cell(0),
            ]
)
