-- Journeys tag in tag groups that exist (a tag is made on first use, a group is not: a typo in a
-- group's name fails the deployment). The shipped journeys tag in 客户阶段 (customer stage).
INSERT INTO tag_groups (name) VALUES ('客户阶段') ON CONFLICT (name) DO NOTHING;
