"""Running the stages: the run itself, the translate stage (segment and block engines), output names,
journal, lock and atomic writes."""
