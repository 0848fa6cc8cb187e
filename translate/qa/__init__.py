"""Quality checks that turn problems in a translation into flags, and the number handling they compare with."""
