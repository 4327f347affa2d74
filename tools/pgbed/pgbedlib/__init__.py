"""pgbed: PostgreSQL 15 + pgaudit test bed and support-workload generator (see docs/pgbed.md)."""
