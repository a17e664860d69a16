"""Written by `python -m ksm_desktop.devtools.first_figures_sql` from the services' own
statements (services/dashboard.py, services/users.py): do not edit by hand."""

SQL = {
    "single_user": "SELECT setting.value \nFROM setting \nWHERE setting.\"key\" = 'security.single_user'",
    "administrator": "SELECT user_account.username, user_account.role \n"
    "FROM user_account \n"
    "WHERE user_account.role = 'admin' AND user_account.active IS 1 ORDER BY "
    "user_account.id\n"
    " LIMIT 1 OFFSET 0",
    "choices": "SELECT programme.id, programme.code, programme.name \nFROM programme ORDER BY programme.code",
    "grant_groups": "SELECT grants.status, grants.programme_id, organisation.sector, location_1.name, "
    "location_1.id, CAST(CAST(STRFTIME('%Y', grants.grant_date) AS INTEGER) AS "
    "BIGINT) AS anon_1, count(*) AS count_1, sum(CASE WHEN (grants.currency = 'EUR') "
    "THEN coalesce(anon_2.cents, 0) ELSE (coalesce(anon_2.cents, 0) * 20000 + "
    "grants.eur_mad_rate) / (2 * grants.eur_mad_rate) END) AS sum_1, sum(CASE WHEN "
    "(grants.currency = 'MAD') THEN coalesce(anon_2.cents, 0) ELSE "
    "(coalesce(anon_2.cents, 0) * grants.eur_mad_rate + 5000) / 10000 END) AS sum_2, "
    "sum(grants.women) AS sum_3, sum(grants.men) AS sum_4, sum(grants.unspecified) AS "
    "sum_5 \n"
    "FROM grants LEFT OUTER JOIN (SELECT grant_item.grant_id AS grant_id, "
    "CAST(sum((grant_item.quantity * grant_item.unit_price + 500) / 1000) AS BIGINT) "
    "AS cents \n"
    "FROM grant_item GROUP BY grant_item.grant_id) AS anon_2 ON anon_2.grant_id = "
    "grants.id LEFT OUTER JOIN organisation ON organisation.id = "
    "grants.organisation_id LEFT OUTER JOIN person ON person.id = grants.person_id "
    "LEFT OUTER JOIN household ON household.id = grants.household_id LEFT OUTER JOIN "
    "location AS location_2 ON location_2.id = coalesce(organisation.location_id, "
    "person.location_id, household.location_id) LEFT OUTER JOIN location AS "
    "location_1 ON location_1.id = location_2.province_id GROUP BY grants.status, "
    "grants.programme_id, organisation.sector, location_1.name, location_1.id, "
    "CAST(CAST(STRFTIME('%Y', grants.grant_date) AS INTEGER) AS BIGINT)",
    "households_per_programme": "SELECT anon_1.programme_id, coalesce(sum(anon_1.size), 0) AS "
    "coalesce_1 \n"
    "FROM (SELECT DISTINCT household.id AS id, household.size AS size, "
    "grants.programme_id AS programme_id \n"
    "FROM household JOIN grants ON grants.household_id = household.id \n"
    "WHERE grants.status != 'cancelled' AND grants.women + grants.men + "
    "grants.unspecified = 0) AS anon_1 GROUP BY anon_1.programme_id",
    "households_in_all": "SELECT coalesce(sum(anon_1.size), 0) AS coalesce_1 \n"
    "FROM (SELECT DISTINCT anon_2.id AS id, anon_2.size AS size \n"
    "FROM (SELECT DISTINCT household.id AS id, household.size AS size, "
    "grants.programme_id AS programme_id \n"
    "FROM household JOIN grants ON grants.household_id = household.id \n"
    "WHERE grants.status != 'cancelled' AND grants.women + grants.men + "
    "grants.unspecified = 0) AS anon_2) AS anon_1",
    "organisations": "SELECT organisation.kind, count(*) AS count_1 \n"
    "FROM organisation GROUP BY organisation.kind ORDER BY count(*) DESC, "
    "organisation.kind",
    "members": "SELECT person.sex, count(*) AS count_1 \n"
    "FROM person \n"
    "WHERE EXISTS (SELECT membership.id \n"
    "FROM membership \n"
    "WHERE membership.person_id = person.id) GROUP BY person.sex",
    "programmes": "SELECT programme.id, programme.code, programme.name, programme.currency, "
    "programme.budget \n"
    "FROM programme ORDER BY programme.code",
}
