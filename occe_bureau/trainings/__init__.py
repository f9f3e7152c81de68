"""Formations: trainings and their sessions, participants, registrations with a waiting list,
attendance per half-day, attendance sheets, certificates, invitations with calendar files, and
the year's figures."""
