-- Tenants (apps) and IM accounts. Portable between H2 (MODE=MySQL) and MySQL 8 / MariaDB 10.11.
-- Times are epoch milliseconds (BIGINT). UserIDs are case-sensitive, hence the binary collation.

CREATE TABLE desk_app (
  sdkappid    BIGINT       NOT NULL,
  secret_key  VARCHAR(256) NOT NULL,
  created_at  BIGINT       NOT NULL,
  updated_at  BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE desk_app_admin (
  sdkappid    BIGINT      NOT NULL,
  identifier  VARCHAR(32) NOT NULL,
  PRIMARY KEY (sdkappid, identifier)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- kind: 1 user, 2 app administrator, 3 customer-service account (客服号)
CREATE TABLE im_account (
  sdkappid    BIGINT        NOT NULL,
  user_id     VARCHAR(32)   NOT NULL,
  nick        VARCHAR(500)  NOT NULL DEFAULT '',
  face_url    VARCHAR(1000) NOT NULL DEFAULT '',
  kind        TINYINT       NOT NULL DEFAULT 1,
  created_at  BIGINT        NOT NULL,
  updated_at  BIGINT        NOT NULL,
  PRIMARY KEY (sdkappid, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
