"""Graph analysis and the interactive page: the RDF graph projected to NetworkX."""
