-- The legal-workday calendar of an app (法定工作日; WorkTimeConfig.Type 2, our extension of the
-- vendor's 0/1): a row per date that differs from the usual week, workday 0 for a public holiday
-- on a weekday, 1 for a working day on a weekend (调休). Dates are 'YYYY-MM-DD' in the app's time zone.
CREATE TABLE desk_workday (
  sdkappid   BIGINT   NOT NULL,
  work_date  CHAR(10) NOT NULL,
  workday    TINYINT  NOT NULL,
  updated_at BIGINT   NOT NULL,
  PRIMARY KEY (sdkappid, work_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
