-- One database per app (docs/design.md "Storage"); used by docker-compose.yml.
create database playball_auth;
create database playball_group_management;
