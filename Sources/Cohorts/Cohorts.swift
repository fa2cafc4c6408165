// Cohorts
