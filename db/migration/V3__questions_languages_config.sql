-- Standard questions with their similar questions, robot languages and robot configuration.
-- Portable between H2 (MODE=MySQL) and MySQL 8 / MariaDB 10.11. Times are epoch milliseconds.

-- status: 4 live (现网启用), 5 disabled (现网停用), 6 deleted (现网删除). Deleted questions stay
-- as rows (a tombstone with its updated_at), so that every node's matching index learns of
-- the deletion by polling updated_at; nothing ever reads them back through the API.
-- question_type: 0 ordinary, 1 system preset. answer_type: 0 plain text, 2 rich text.
-- seq orders lists stably (creation order); (updated_at, seq) is the knowledge change feed.
-- embedding: the sentence embedding of the text (a model byte, then 512 or 384 little-endian
-- floats), so that an index rebuild need not recompute it; empty when none is stored (NOT NULL:
-- Helidon's DbColumn cannot read SQL NULL).
CREATE TABLE kb_question (
  seq           BIGINT        NOT NULL AUTO_INCREMENT,
  sdkappid      BIGINT        NOT NULL,
  question_id   VARCHAR(128)  NOT NULL,
  robot_id      VARCHAR(64)   NOT NULL,
  library       TINYINT       NOT NULL,
  language_tag  VARCHAR(16)   NOT NULL DEFAULT '',
  category_id   BIGINT        NOT NULL,
  question      VARCHAR(800)  NOT NULL,
  answer        MEDIUMTEXT    NOT NULL,
  answer_type   TINYINT       NOT NULL DEFAULT 0,
  question_type TINYINT       NOT NULL DEFAULT 0,
  status        TINYINT       NOT NULL DEFAULT 4,
  embedding     VARBINARY(2049) NOT NULL DEFAULT X'',
  created_at    BIGINT        NOT NULL,
  updated_at    BIGINT        NOT NULL,
  PRIMARY KEY (sdkappid, question_id),
  UNIQUE KEY kb_question_seq (seq),
  KEY kb_question_scope (sdkappid, robot_id, library, language_tag, status),
  KEY kb_question_category (sdkappid, category_id),
  KEY kb_question_changes (updated_at, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The similar questions (相似问题) of a standard question, in the order they were given.
CREATE TABLE kb_similar (
  sdkappid     BIGINT       NOT NULL,
  question_id  VARCHAR(128) NOT NULL,
  ordinal      INT          NOT NULL,
  similar_text VARCHAR(800) NOT NULL,
  embedding    VARBINARY(2049) NOT NULL DEFAULT X'',
  PRIMARY KEY (sdkappid, question_id, ordinal)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The languages of a robot's knowledge base. The default language is the empty tag.
CREATE TABLE robot_language (
  sdkappid     BIGINT      NOT NULL,
  robot_id     VARCHAR(64) NOT NULL,
  language_tag VARCHAR(16) NOT NULL,
  is_default   TINYINT     NOT NULL DEFAULT 0,
  created_at   BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, robot_id, language_tag)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The basic configuration (基础配置) of a robot per language, as the JSON document that
-- desc_robot_config answers (field names of the seed).
CREATE TABLE robot_config (
  sdkappid     BIGINT      NOT NULL,
  robot_id     VARCHAR(64) NOT NULL,
  language_tag VARCHAR(16) NOT NULL,
  config       MEDIUMTEXT  NOT NULL,
  updated_at   BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, robot_id, language_tag)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Questions the robot could not answer directly (clarify or fallback), kept for knowledge-base
-- optimisation (问答优化). source: 'test' (robot_test_answer) or 'session' (a user's message).
CREATE TABLE robot_unanswered (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  sdkappid       BIGINT       NOT NULL,
  robot_id       VARCHAR(64)  NOT NULL,
  language_tag   VARCHAR(16)  NOT NULL DEFAULT '',
  question       VARCHAR(800) NOT NULL,
  reply_type     VARCHAR(16)  NOT NULL,
  best_question  VARCHAR(128) NOT NULL DEFAULT '',
  best_similarity DOUBLE      NOT NULL DEFAULT 0,
  source         VARCHAR(16)  NOT NULL,
  created_at     BIGINT       NOT NULL,
  PRIMARY KEY (id),
  KEY robot_unanswered_robot (sdkappid, robot_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
