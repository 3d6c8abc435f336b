class Greeter:
	"""Greet people by name."""

	def __init__(self, greeting):
		self.greeting = greeting

	def greet(self, name):
		if not name:
			raise ValueError("no name")
		return f"{self.greeting}, {name}!"
