-- What ffprobe found in each original (issue 3, "Probe each stored original"), or why it could not
-- read it. Probing never touches the original: an unplayable recording stays stored and downloadable.

-- The recording-level state: unprobed until the probe job has run, then probed or unplayable.
ALTER TABLE recordings ADD COLUMN media_state text NOT NULL DEFAULT 'unprobed'
    CHECK (media_state IN ('unprobed', 'probed', 'unplayable'));
CREATE INDEX recordings_media_state ON recordings (media_state) WHERE media_state <> 'probed';

-- One row per recording, replaced when it is probed again (e.g. by a newer ffprobe). Typed columns
-- for what the product queries and decides on; the raw ffprobe JSON for everything else.
CREATE TABLE media_probes (
    recording_id        uuid PRIMARY KEY REFERENCES recordings (id),
    outcome             text NOT NULL CHECK (outcome IN ('probed', 'unplayable')),
    unplayable_reason   text,
    media_kind          text NOT NULL CHECK (media_kind IN ('video', 'audio', 'photo', 'unknown')),
    format_name         text,
    format_long_name    text,
    duration_seconds    double precision,
    bit_rate            bigint,
    stream_count        integer NOT NULL CHECK (stream_count >= 0),
    video_stream_index  integer,
    video_codec         text,
    video_profile       text,
    pixel_format        text,
    bit_depth           integer,
    width               integer,
    height              integer,
    -- Degrees clockwise to display upright.
    rotation            integer CHECK (rotation IN (0, 90, 180, 270)),
    avg_frame_rate      text,
    r_frame_rate        text,
    frames_per_second   double precision,
    variable_frame_rate boolean,
    field_order         text,
    interlaced          boolean,
    audio_stream_index  integer,
    audio_codec         text,
    audio_profile       text,
    audio_channels      integer,
    audio_sample_rate   integer,
    media_created_at    timestamptz,        -- the creation_time tag: the recorder's clock
    gps_iso6709         text,
    gps_latitude        double precision,
    gps_longitude       double precision,
    gps_altitude        double precision,
    warnings            text,               -- ffprobe's stderr on a run that succeeded
    raw                 jsonb,              -- ffprobe's JSON as printed
    tool_version        text NOT NULL,
    probed_at           timestamptz NOT NULL,
    CHECK ((outcome = 'unplayable') = (unplayable_reason IS NOT NULL))
);
