using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>A face found in one sampled frame: the sample's number, its time, and the box in pixels of the sampled frame.</summary>
public readonly record struct FaceSighting(int Sample, double Seconds, Rect Box);
