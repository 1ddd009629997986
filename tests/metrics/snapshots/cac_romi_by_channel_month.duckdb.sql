WITH "t6" AS (
  SELECT
    DATE_TRUNC('MONTH', "t3"."date") AS "period",
    COALESCE("t3"."channel", '(none)') AS "channel",
    SUM("t3"."cost") AS "marketing_cost"
  FROM (
    SELECT
      *
    FROM "spend" AS "t0"
    WHERE
      "t0"."date" IS NOT NULL
      AND "t0"."date" >= MAKE_DATE(2025, 1, 1)
      AND "t0"."date" < MAKE_DATE(2026, 1, 1)
      AND "t0"."currency" = 'EUR'
  ) AS "t3"
  GROUP BY
    1,
    2
), "t10" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', MAKE_TIMESTAMP(EPOCH_US("t4"."at"))) AS DATE) AS "period",
    COALESCE("t4"."channel", '(none)') AS "channel",
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
  ) AS "t4"
  GROUP BY
    1,
    2
), "t11" AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', MAKE_TIMESTAMP(EPOCH_US("t5"."ordered_at"))) AS DATE) AS "period",
    COALESCE("t5"."acquisition_channel", '(none)') AS "channel",
    SUM("t5"."revenue") AS "attributed_revenue"
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
  ) AS "t5"
  GROUP BY
    1,
    2
)
SELECT
  "t22"."period",
  "t22"."channel",
  (
    "t22"."marketing_cost" * 1.0
  ) / NULLIF("t22"."new_customers", 0) AS "cac",
  (
    "t22"."attributed_revenue" - "t22"."marketing_cost"
  ) / NULLIF("t22"."marketing_cost", 0) AS "romi",
  (
    "t22"."attributed_revenue" * 1.0
  ) / NULLIF("t22"."marketing_cost", 0) AS "roas"
FROM (
  SELECT
    "t21"."period",
    "t21"."channel",
    COALESCE("t21"."marketing_cost", 0) AS "marketing_cost",
    COALESCE("t21"."new_customers", 0) AS "new_customers",
    COALESCE("t21"."attributed_revenue", 0) AS "attributed_revenue"
  FROM (
    SELECT
      "t20"."period",
      "t20"."channel",
      "t8"."marketing_cost",
      "t14"."new_customers",
      "t15"."attributed_revenue"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t13"."period",
          "t13"."channel"
        FROM "t11" AS "t13"
      ) AS "t17"
      UNION
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t7"."period",
            "t7"."channel"
          FROM "t6" AS "t7"
        ) AS "t9"
        UNION
        SELECT
          *
        FROM (
          SELECT
            "t12"."period",
            "t12"."channel"
          FROM "t10" AS "t12"
        ) AS "t16"
      ) AS "t18"
    ) AS "t20"
    LEFT OUTER JOIN "t6" AS "t8"
      ON "t20"."period" = "t8"."period" AND "t20"."channel" = "t8"."channel"
    LEFT OUTER JOIN "t10" AS "t14"
      ON "t20"."period" = "t14"."period" AND "t20"."channel" = "t14"."channel"
    LEFT OUTER JOIN "t11" AS "t15"
      ON "t20"."period" = "t15"."period" AND "t20"."channel" = "t15"."channel"
  ) AS "t21"
) AS "t22"
ORDER BY
  "t22"."period" ASC,
  "t22"."channel" ASC
