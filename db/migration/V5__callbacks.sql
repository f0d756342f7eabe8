-- Callback settings of each app and the outbox of callbacks to deliver.
CREATE TABLE callback_settings (
  sdkappid          BIGINT        NOT NULL,
  url               VARCHAR(1000) NOT NULL DEFAULT '',
  token             VARCHAR(256)  NOT NULL DEFAULT '',
  enabled           TINYINT       NOT NULL DEFAULT 0,
  third_party_robot TINYINT       NOT NULL DEFAULT 0,
  updated_at        BIGINT        NOT NULL,
  PRIMARY KEY (sdkappid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Events written in the transaction of the change that caused them, delivered at least once, in
-- order per ordering_key (a session). status: 0 pending, 1 delivered, 2 blocked (gave up).
-- next_attempt_at doubles as a lease: a node that claims an event moves it into the future.
CREATE TABLE callback_outbox (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  sdkappid        BIGINT        NOT NULL,
  delivery_id     VARCHAR(64)   NOT NULL,
  ordering_key    VARCHAR(128)  NOT NULL,
  command         VARCHAR(64)   NOT NULL,
  payload         MEDIUMTEXT    NOT NULL,
  status          TINYINT       NOT NULL DEFAULT 0,
  attempts        INT           NOT NULL DEFAULT 0,
  next_attempt_at BIGINT        NOT NULL,
  last_error      VARCHAR(500)  NOT NULL DEFAULT '',
  created_at      BIGINT        NOT NULL,
  delivered_at    BIGINT        NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY callback_outbox_delivery (delivery_id),
  KEY callback_outbox_due (status, next_attempt_at),
  KEY callback_outbox_order (sdkappid, ordering_key, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
