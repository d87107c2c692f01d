"""RDF: namespaces, IRIs, graph building, deterministic export and SHACL validation."""
