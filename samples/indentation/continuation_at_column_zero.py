def expected_topology(fields):
  return dict(
      policy=fields.ISOLATE,
      cells=[
          fields.cell(0),
      ]
)
