-- Orleans membership for OrleansRedis clusters, on PostgreSQL.
--
-- Orleans' ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet) runs the
-- statements it finds in OrleansQuery under fixed keys, binding @DeploymentId, @Address,
-- @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime,
-- @IAmAliveTime and @Version, and reading the columns the SELECTs below name. Those keys,
-- parameters and columns are the contract; the tables and functions are ours.
--
-- Idempotent: scripts/postgres.sh and the compose cluster's database apply it on every start.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- One row per cluster: the membership table's version, bumped by every change (optimistic concurrency).
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0
);

-- One row per silo incarnation (a restart is a new generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Bumps the cluster's version if it is still p_version; false when another writer came first.
CREATE OR REPLACE FUNCTION orleansredis_bump_version(p_deployment varchar, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment AND Version = p_version;
    RETURN FOUND;
END
$$;

-- Adds a silo's row and bumps the version, both or neither; returns 1 when done, else 0.
CREATE OR REPLACE FUNCTION orleansredis_insert_member(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer,
    p_silo_name varchar, p_host_name varchar, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF NOT orleansredis_bump_version(p_deployment, p_version) THEN
        RETURN 0;
    END IF;
    BEGIN
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_alive_time);
    EXCEPTION WHEN unique_violation THEN
        -- Undo the version bump with the failed insert.
        RAISE SQLSTATE 'OR409';
    END;
    RETURN 1;
EXCEPTION WHEN SQLSTATE 'OR409' THEN
    RETURN 0;
END
$$;

-- Updates a silo's row and bumps the version, both or neither; returns 1 when done, else 0.
CREATE OR REPLACE FUNCTION orleansredis_update_member(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer,
    p_status integer, p_suspect_times varchar, p_alive_time timestamptz, p_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF NOT orleansredis_bump_version(p_deployment, p_version) THEN
        RETURN 0;
    END IF;
    UPDATE OrleansMembershipTable
    SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_alive_time
    WHERE DeploymentId = p_deployment AND Address = p_address AND Port = p_port AND Generation = p_generation;
    IF NOT FOUND THEN
        RAISE SQLSTATE 'OR404';
    END IF;
    RETURN 1;
EXCEPTION WHEN SQLSTATE 'OR404' THEN
    RETURN 0;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM inserted;'),
('InsertMembershipKey', '
    SELECT orleansredis_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS row_count;'),
('UpdateMembershipKey', '
    SELECT orleansredis_update_member(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version) AS row_count;'),
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
        m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
        m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status != 3;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
