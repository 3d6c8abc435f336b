def reject(project):
	raise ValueError(explanation=(
	    f"Project {project} is not valid."
	))
