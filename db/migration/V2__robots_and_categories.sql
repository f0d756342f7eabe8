-- Robots and knowledge-base categories (FAQ = library 1, chitchat = library 2), and per-app
-- id sequences. Portable between H2 (MODE=MySQL) and MySQL 8 / MariaDB 10.11.

CREATE TABLE id_sequence (
  sdkappid    BIGINT      NOT NULL,
  name        VARCHAR(64) NOT NULL,
  next_value  BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE robot (
  sdkappid    BIGINT       NOT NULL,
  robot_id    VARCHAR(64)  NOT NULL,
  nick_name   VARCHAR(200) NOT NULL DEFAULT '',
  is_default  TINYINT      NOT NULL DEFAULT 0,
  created_at  BIGINT       NOT NULL,
  updated_at  BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, robot_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- menu_type: 0 ordinary, 1 the "all categories" node, 2 system preset. status: 1 enabled.
CREATE TABLE kb_category (
  sdkappid    BIGINT       NOT NULL,
  category_id BIGINT       NOT NULL,
  robot_id    VARCHAR(64)  NOT NULL,
  library     TINYINT      NOT NULL,
  parent_id   BIGINT       NOT NULL DEFAULT 0,
  title       VARCHAR(200) NOT NULL,
  menu_type   TINYINT      NOT NULL DEFAULT 0,
  status      TINYINT      NOT NULL DEFAULT 1,
  created_at  BIGINT       NOT NULL,
  updated_at  BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, category_id),
  KEY kb_category_robot (sdkappid, robot_id, library, parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
