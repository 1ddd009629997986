WITH "t7" AS (
  SELECT
    *
  FROM "orders" AS "t2"
  WHERE
    "t2"."ordered_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
    AND "t2"."currency" = 'EUR'
), "t15" AS (
  SELECT
    DATE_TRUNC('QUARTER', "t4"."date") AS "period",
    SUM("t4"."cost") AS "marketing_cost"
  FROM (
    SELECT
      *
    FROM "spend" AS "t0"
    WHERE
      "t0"."date" IS NOT NULL
      AND "t0"."date" >= MAKE_DATE(2025, 1, 1)
      AND "t0"."date" < MAKE_DATE(2026, 1, 1)
      AND "t0"."currency" = 'EUR'
  ) AS "t4"
  GROUP BY
    1
), "t20" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t5"."at"))) AS DATE) AS "period",
    COUNT(*) AS "new_customers"
  FROM (
    SELECT
      "t1"."customer_at" AS "at",
      "t1"."channel",
      "t1"."campaign",
      "t1"."industry",
      "t1"."region",
      "t1"."country",
      "t1"."company_size"
    FROM "leads" AS "t1"
    WHERE
      "t1"."customer_at" IS NOT NULL
      AND "t1"."customer_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t1"."customer_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
  ) AS "t5"
  GROUP BY
    1
), "t21" AS (
  SELECT
    "t13"."customer_id",
    MIN("t13"."ordered_at") AS "first_at",
    COUNT(*) AS "orders",
    SUM("t13"."revenue") AS "revenue_to_date",
    SUM(COALESCE("t13"."gross_margin", "t13"."revenue")) AS "value_to_date",
    SUM(CAST("t13"."gross_margin" IS NULL AS BIGINT)) AS "margin_missing"
  FROM "t7" AS "t13"
  GROUP BY
    1
), "t22" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t8"."ordered_at"))) AS DATE) AS "period",
    SUM("t8"."revenue") AS "attributed_revenue"
  FROM (
    SELECT
      *
    FROM "orders" AS "t2"
    WHERE
      "t2"."ordered_at" IS NOT NULL
      AND "t2"."ordered_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t2"."ordered_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t2"."acquisition_channel" IS NOT NULL
      AND "t2"."currency" = 'EUR'
  ) AS "t8"
  GROUP BY
    1
), "t23" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t9"."responded_at"))) AS DATE) AS "period",
    COUNT(*) AS "responses"
  FROM (
    SELECT
      *
    FROM "survey_responses" AS "t3"
    WHERE
      "t3"."responded_at" IS NOT NULL
      AND "t3"."responded_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t3"."responded_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
  ) AS "t9"
  GROUP BY
    1
), "t24" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t10"."responded_at"))) AS DATE) AS "period",
    COUNT(*) AS "promoters"
  FROM (
    SELECT
      *
    FROM "survey_responses" AS "t3"
    WHERE
      "t3"."responded_at" IS NOT NULL
      AND "t3"."responded_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t3"."responded_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t3"."score" >= 9
  ) AS "t10"
  GROUP BY
    1
), "t25" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t11"."responded_at"))) AS DATE) AS "period",
    COUNT(*) AS "detractors"
  FROM (
    SELECT
      *
    FROM "survey_responses" AS "t3"
    WHERE
      "t3"."responded_at" IS NOT NULL
      AND "t3"."responded_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t3"."responded_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t3"."score" <= 6
  ) AS "t11"
  GROUP BY
    1
), "t27" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t12"."mql_at"))) AS DATE) AS "period",
    COUNT(*) AS "cohort_mql_at"
  FROM (
    SELECT
      "t1"."lead_id",
      "t1"."created_at",
      "t1"."channel",
      "t1"."campaign",
      "t1"."industry",
      "t1"."company_size",
      "t1"."region",
      "t1"."country",
      LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") AS "mql_at",
      LEAST("t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") AS "sql_at",
      LEAST("t1"."opportunity_at", "t1"."customer_at") AS "opportunity_at",
      "t1"."customer_at",
      "t1"."disqualified_at",
      "t1"."source",
      "t1"."import_id"
    FROM "leads" AS "t1"
    WHERE
      LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") IS NOT NULL
      AND LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
      AND LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") < MAKE_TIMESTAMPTZ(2025, 7, 5, 0, 0, 0.0, 'UTC')
  ) AS "t12"
  GROUP BY
    1
), "t49" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t18"."mql_at"))) AS DATE) AS "period",
    COUNT(*) AS "cohort_mql_at_to_sql_at"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t1"."lead_id",
        "t1"."created_at",
        "t1"."channel",
        "t1"."campaign",
        "t1"."industry",
        "t1"."company_size",
        "t1"."region",
        "t1"."country",
        LEAST("t1"."mql_at", "t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") AS "mql_at",
        LEAST("t1"."sql_at", "t1"."opportunity_at", "t1"."customer_at") AS "sql_at",
        LEAST("t1"."opportunity_at", "t1"."customer_at") AS "opportunity_at",
        "t1"."customer_at",
        "t1"."disqualified_at",
        "t1"."source",
        "t1"."import_id"
      FROM "leads" AS "t1"
    ) AS "t6"
    WHERE
      "t6"."mql_at" IS NOT NULL
      AND "t6"."mql_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t6"."mql_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
      AND "t6"."mql_at" < MAKE_TIMESTAMPTZ(2025, 7, 5, 0, 0, 0.0, 'UTC')
      AND "t6"."sql_at" IS NOT NULL
      AND (
        EPOCH_US("t6"."sql_at") - EPOCH_US("t6"."mql_at")
      ) <= 15552000000000
  ) AS "t18"
  GROUP BY
    1
), "t60" AS (
  SELECT
    *
  FROM (
    SELECT
      "t54"."customer_id",
      "t54"."first_at",
      "t54"."orders",
      "t54"."revenue_to_date",
      "t54"."value_to_date",
      "t54"."margin_missing",
      "t54"."observed_days",
      "t58"."channel"
    FROM (
      SELECT
        "t28"."customer_id",
        "t28"."first_at",
        "t28"."orders",
        "t28"."revenue_to_date",
        "t28"."value_to_date",
        "t28"."margin_missing",
        (
          EPOCH(CAST(MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC') AS TIMESTAMP)) - EPOCH(CAST("t28"."first_at" AS TIMESTAMP))
        ) / 86400 AS "observed_days"
      FROM "t21" AS "t28"
    ) AS "t54"
    INNER JOIN (
      SELECT
        "t52"."customer_id",
        MAX("t52"."acquisition_channel") AS "channel"
      FROM (
        SELECT
          "t14"."order_id",
          "t14"."customer_id",
          "t14"."ordered_at",
          "t14"."revenue",
          "t14"."gross_margin",
          "t14"."currency",
          "t14"."acquisition_channel",
          "t14"."source",
          "t14"."import_id",
          "t35"."first_at",
          "t35"."orders",
          "t35"."revenue_to_date",
          "t35"."value_to_date",
          "t35"."margin_missing"
        FROM "t7" AS "t14"
        INNER JOIN "t21" AS "t35"
          ON "t14"."customer_id" = "t35"."customer_id"
          AND "t14"."ordered_at" = "t35"."first_at"
      ) AS "t52"
      GROUP BY
        1
    ) AS "t58"
      ON "t54"."customer_id" = "t58"."customer_id"
  ) AS "t59"
  WHERE
    "t59"."first_at" IS NOT NULL
    AND "t59"."first_at" >= MAKE_TIMESTAMPTZ(2025, 1, 1, 0, 0, 0.0, 'UTC')
    AND "t59"."first_at" < MAKE_TIMESTAMPTZ(2026, 1, 1, 0, 0, 0.0, 'UTC')
    AND "t59"."channel" IS NOT NULL
), "t62" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t61"."first_at"))) AS DATE) AS "period",
    SUM("t61"."value_to_date") AS "cohort_value"
  FROM "t60" AS "t61"
  GROUP BY
    1
), "t63" AS (
  SELECT
    CAST(DATE_TRUNC('QUARTER', MAKE_TIMESTAMP(EPOCH_US("t61"."first_at"))) AS DATE) AS "period",
    COUNT(*) AS "cohort_customers"
  FROM "t60" AS "t61"
  GROUP BY
    1
)
SELECT
  "t78"."period",
  (
    "t78"."marketing_cost" * 1.0
  ) / NULLIF("t78"."new_customers", 0) AS "cac",
  (
    "t78"."attributed_revenue" - "t78"."marketing_cost"
  ) / NULLIF("t78"."marketing_cost", 0) AS "romi",
  (
    "t78"."cohort_value" / NULLIF("t78"."cohort_customers", 0)
  ) / NULLIF("t78"."marketing_cost" / NULLIF("t78"."new_customers", 0), 0) AS "ltv_to_cac",
  (
    "t78"."cohort_mql_at_to_sql_at" * 1.0
  ) / NULLIF("t78"."cohort_mql_at", 0) AS "mql_to_sql",
  (
    (
      (
        "t78"."promoters" - "t78"."detractors"
      ) / NULLIF("t78"."responses", 0)
    ) * 100
  ) + (
    SQRT(
      (
        (
          (
            "t78"."promoters" + "t78"."detractors"
          ) / NULLIF("t78"."responses", 0)
        ) - (
          (
            (
              "t78"."promoters" - "t78"."detractors"
            ) / NULLIF("t78"."responses", 0)
          ) * (
            (
              "t78"."promoters" - "t78"."detractors"
            ) / NULLIF("t78"."responses", 0)
          )
        )
      ) / NULLIF("t78"."responses", 0)
    ) * 0.0
  ) AS "nps"
FROM (
  SELECT
    "t77"."period",
    COALESCE("t77"."marketing_cost", 0) AS "marketing_cost",
    COALESCE("t77"."new_customers", 0) AS "new_customers",
    COALESCE("t77"."attributed_revenue", 0) AS "attributed_revenue",
    COALESCE("t77"."cohort_value", 0) AS "cohort_value",
    COALESCE("t77"."cohort_customers", 0) AS "cohort_customers",
    COALESCE("t77"."cohort_mql_at", 0) AS "cohort_mql_at",
    COALESCE("t77"."cohort_mql_at_to_sql_at", 0) AS "cohort_mql_at_to_sql_at",
    COALESCE("t77"."promoters", 0) AS "promoters",
    COALESCE("t77"."detractors", 0) AS "detractors",
    COALESCE("t77"."responses", 0) AS "responses"
  FROM (
    SELECT
      "t76"."period",
      "t17"."marketing_cost",
      "t33"."new_customers",
      "t36"."attributed_revenue",
      "t66"."cohort_value",
      "t67"."cohort_customers",
      "t41"."cohort_mql_at",
      "t53"."cohort_mql_at_to_sql_at",
      "t38"."promoters",
      "t39"."detractors",
      "t37"."responses"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t65"."period"
            FROM "t63" AS "t65"
          ) AS "t69"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t34"."period"
            FROM "t27" AS "t34"
          ) AS "t47"
        ) AS "t71"
        UNION
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t50"."period"
            FROM "t49" AS "t50"
          ) AS "t55"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t31"."period"
            FROM "t24" AS "t31"
          ) AS "t44"
        ) AS "t56"
      ) AS "t73"
      UNION
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t32"."period"
            FROM "t25" AS "t32"
          ) AS "t45"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t30"."period"
            FROM "t23" AS "t30"
          ) AS "t43"
        ) AS "t48"
        UNION
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t16"."period"
              FROM "t15" AS "t16"
            ) AS "t19"
            UNION
            SELECT
              *
            FROM (
              SELECT
                "t26"."period"
              FROM "t20" AS "t26"
            ) AS "t40"
          ) AS "t46"
          UNION
          SELECT
            *
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t29"."period"
              FROM "t22" AS "t29"
            ) AS "t42"
            UNION
            SELECT
              *
            FROM (
              SELECT
                "t64"."period"
              FROM "t62" AS "t64"
            ) AS "t68"
          ) AS "t70"
        ) AS "t72"
      ) AS "t74"
    ) AS "t76"
    LEFT OUTER JOIN "t15" AS "t17"
      ON "t76"."period" = "t17"."period"
    LEFT OUTER JOIN "t20" AS "t33"
      ON "t76"."period" = "t33"."period"
    LEFT OUTER JOIN "t22" AS "t36"
      ON "t76"."period" = "t36"."period"
    LEFT OUTER JOIN "t62" AS "t66"
      ON "t76"."period" = "t66"."period"
    LEFT OUTER JOIN "t63" AS "t67"
      ON "t76"."period" = "t67"."period"
    LEFT OUTER JOIN "t27" AS "t41"
      ON "t76"."period" = "t41"."period"
    LEFT OUTER JOIN "t49" AS "t53"
      ON "t76"."period" = "t53"."period"
    LEFT OUTER JOIN "t24" AS "t38"
      ON "t76"."period" = "t38"."period"
    LEFT OUTER JOIN "t25" AS "t39"
      ON "t76"."period" = "t39"."period"
    LEFT OUTER JOIN "t23" AS "t37"
      ON "t76"."period" = "t37"."period"
  ) AS "t77"
) AS "t78"
ORDER BY
  "t78"."period" ASC
