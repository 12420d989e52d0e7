-- One database per app (DESIGN.md "Storage"); used by docker-compose.yml.
create database playball_auth;
create database playball_group_management;
