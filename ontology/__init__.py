"""ontology: the kehoach vocabulary (OWL, built with owlready2) and its closed namespace."""
