//! The app's integration tests, in one binary so that the app links once: each
//! module tests one feature against real databases (SQLite always, PostgreSQL when
//! `TEST_POSTGRES_URL` names one), and `layers` checks the source's import direction.

mod browser;
mod common;
mod fixtures;
mod outcome;
mod tree_counts;

mod audit;
mod audit_log;
mod briefing;
mod clients;
mod foundation;
mod groups;
mod impersonation;
mod inbox;
mod ingestion;
mod layers;
mod mail;
mod oncall;
mod sign_in;
mod tasks;
mod users;
mod verification;
