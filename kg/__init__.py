"""kg: the fact log, Vietnamese notation parsers, dataset import and the knowledge graph.

Data flows one way: sources → fact log → graph → rules → alerts → service. ``kg`` imports
only ``ontology``; it never imports rules or service code.
"""
