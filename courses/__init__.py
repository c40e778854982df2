"""Courses: Wagtail pages for courses and lessons, quizzes, enrolments and progress."""
