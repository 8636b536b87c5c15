using System.Numerics;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Places the items of a scene. Every item starts as a cluster of its own; arrangements ("in a row",
/// "stacked", "in a circle") and relations ("on", "under", "beside", "behind", "in front of", "around") move
/// whole clusters next to each other and join them, in the prompt's order; a relation between things already
/// joined is skipped. What is left is laid out on a grid centred on the origin, each cluster standing on y = 0,
/// so a prompt with no relations looks as it always did.
/// </summary>
internal sealed class SceneLayout
{
    private readonly List<SceneItem> _items;
    private readonly List<SceneCluster> _clusters = [];

    // What is already on top of an object, so a second thing put on it goes beside the first.
    private readonly Dictionary<int, (Vector3 Min, Vector3 Max)> _onTop = [];

    public SceneLayout(List<SceneItem> items)
    {
        _items = items;
        for (var k = 0; k < items.Count; k++)
        {
            var cluster = new SceneCluster(k);
            cluster.Items.Add(items[k]);
            items[k].Cluster = cluster;
            _clusters.Add(cluster);
        }
    }

    public static (Vector3 Min, Vector3 Max) BoundsOf(IEnumerable<SceneItem> items)
    {
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var item in items)
        {
            var (itemMin, itemMax) = item.Bounds;
            min = Vector3.Min(min, itemMin);
            max = Vector3.Max(max, itemMax);
        }

        return (min, max);
    }

    public void Arrange(Grouping grouping)
    {
        var clusters = ClustersOf([.. grouping.Objects.SelectMany(Node)]);
        if (clusters.Count < 2)
        {
            return;
        }

        switch (grouping.Arrangement)
        {
            case Arrangement.Row:
                Row(clusters);
                break;
            case Arrangement.Stack:
                Stack(clusters);
                break;
            case Arrangement.Circle:
                var (min, max) = clusters[0].Bounds;
                Ring(clusters, new Vector3((min.X + max.X) / 2, 0, (min.Z + max.Z) / 2), 0, min.Y);
                Join(clusters);
                break;
        }
    }

    public void Relate(Relation relation)
    {
        List<SceneItem> subjects = [.. relation.Subjects.SelectMany(Node)];
        var anchors = Node(relation.Anchor);
        if (subjects.Count == 0 || anchors.Count == 0)
        {
            return;
        }

        if (relation.Kind == RelationKind.Around)
        {
            Surround(subjects, anchors);
            return;
        }

        var anchorCluster = Unite(anchors);
        var subjectCluster = Unite(subjects);
        if (anchorCluster == subjectCluster || anchors.Any(a => a.Cluster != anchorCluster))
        {
            return;
        }

        switch (relation.Kind)
        {
            case RelationKind.On:
                PutOn(subjectCluster, subjects, anchors, relation.Anchor);
                break;
            case RelationKind.Under when anchors.Any(a => a.Clearance > 0):
                PutUnder(subjectCluster, anchors);
                break;
            case RelationKind.Under:
                // Under something solid: it rests on them.
                PutOn(anchorCluster, anchors, subjects, relation.Subjects[0]);
                break;
            case RelationKind.LeftOf:
                PutNextTo(subjectCluster, subjects, anchorCluster, anchors, -Vector3.UnitX);
                break;
            case RelationKind.Behind:
                PutNextTo(subjectCluster, subjects, anchorCluster, anchors, -Vector3.UnitZ);
                break;
            case RelationKind.InFrontOf:
                PutNextTo(subjectCluster, subjects, anchorCluster, anchors, Vector3.UnitZ);
                break;
            default:
                PutNextTo(subjectCluster, subjects, anchorCluster, anchors, Vector3.UnitX);
                break;
        }

        anchorCluster.Absorb(subjectCluster);
    }

    /// <summary>Lays the clusters out on a grid centred on the origin, standing on y = 0; returns the grid's width and depth.</summary>
    public (float Width, float Depth) PlaceOnGrid()
    {
        var clusters = _clusters.Where(c => c.Items.Count > 0).OrderBy(c => c.Order).ToList();
        var bounds = clusters.Select(c => c.Bounds).ToList();
        var cellWidth = bounds.Max(b => b.Max.X - b.Min.X);
        var cellDepth = bounds.Max(b => b.Max.Z - b.Min.Z);
        var gap = 0.3f * Math.Max(cellWidth, cellDepth);
        (cellWidth, cellDepth) = (cellWidth + gap, cellDepth + gap);
        var columns = clusters.Count <= 4 ? clusters.Count : (int)Math.Ceiling(Math.Sqrt(clusters.Count));
        var rows = (clusters.Count + columns - 1) / columns;
        for (var k = 0; k < clusters.Count; k++)
        {
            var (min, max) = bounds[k];
            var cell = new Vector3(((k % columns) - ((columns - 1) / 2f)) * cellWidth, 0, ((k / columns) - ((rows - 1) / 2f)) * cellDepth);
            var centre = new Vector3((min.X + max.X) / 2, min.Y, (min.Z + max.Z) / 2);
            clusters[k].Move(cell - centre);
        }

        return (columns * cellWidth, rows * cellDepth);
    }

    private static Vector3 FootprintCentre((Vector3 Min, Vector3 Max) b) => new((b.Min.X + b.Max.X) / 2, 0, (b.Min.Z + b.Max.Z) / 2);

    private static float Width((Vector3 Min, Vector3 Max) b) => Math.Max(1e-3f, b.Max.X - b.Min.X);

    private static float Depth((Vector3 Min, Vector3 Max) b) => Math.Max(1e-3f, b.Max.Z - b.Min.Z);

    private static float Across((Vector3 Min, Vector3 Max) b) => Math.Max(b.Max.X - b.Min.X, b.Max.Z - b.Min.Z);

    private static float Top(IEnumerable<SceneItem> items) => items.Max(i => i.WorldSupportTop);

    private List<SceneItem> Node(int obj) => [.. _items.Where(i => i.Object == obj)];

    /// <summary>The distinct clusters of the items, in the items' order.</summary>
    private static List<SceneCluster> ClustersOf(List<SceneItem> items)
    {
        var clusters = new List<SceneCluster>();
        foreach (var item in items)
        {
            if (!clusters.Contains(item.Cluster))
            {
                clusters.Add(item.Cluster);
            }
        }

        return clusters;
    }

    /// <summary>The items' cluster, lining their clusters up in a row first when they are apart.</summary>
    private static SceneCluster Unite(List<SceneItem> items)
    {
        var clusters = ClustersOf(items);
        return clusters.Count == 1 ? clusters[0] : Row(clusters);
    }

    private static SceneCluster Join(List<SceneCluster> clusters)
    {
        foreach (var cluster in clusters.Skip(1))
        {
            clusters[0].Absorb(cluster);
        }

        return clusters[0];
    }

    /// <summary>Side by side along +x from the first, a fifth of the widest apart, bases and depths lined up.</summary>
    private static SceneCluster Row(List<SceneCluster> clusters)
    {
        var first = clusters[0].Bounds;
        var gap = 0.2f * clusters.Max(c => Width(c.Bounds));
        var right = first.Max.X;
        foreach (var cluster in clusters.Skip(1))
        {
            var (min, max) = cluster.Bounds;
            var delta = new Vector3(right + gap - min.X, first.Min.Y - min.Y, ((first.Min.Z + first.Max.Z) / 2) - ((min.Z + max.Z) / 2));
            cluster.Move(delta);
            right = max.X + delta.X;
        }

        return Join(clusters);
    }

    /// <summary>Each on top of the one before, centred on it.</summary>
    private static void Stack(List<SceneCluster> clusters)
    {
        List<SceneItem> below = [.. clusters[0].Items];
        foreach (var cluster in clusters.Skip(1))
        {
            var under = BoundsOf(below);
            var (min, max) = cluster.Bounds;
            var centre = FootprintCentre(under) - FootprintCentre((min, max));
            cluster.Move(new Vector3(centre.X, Top(below) - min.Y, centre.Z));
            below = [.. cluster.Items];
        }

        Join(clusters);
    }

    /// <summary>
    /// On a circle around <paramref name="centre"/> (clear of a thing <paramref name="inner"/> across), equally
    /// spaced from +x, each turned to face the centre and standing at <paramref name="baseY"/>.
    /// </summary>
    private static void Ring(List<SceneCluster> clusters, Vector3 centre, float inner, float baseY)
    {
        var half = clusters.Max(c => Across(c.Bounds)) / 2;
        var radius = (inner / 2) + half + 0.05f + (0.1f * half);
        radius = Math.Max(radius, clusters.Count * 2 * half * 1.15f / MathF.Tau);
        for (var k = 0; k < clusters.Count; k++)
        {
            var (sin, cos) = MathF.SinCos(MathF.Tau * k / clusters.Count);
            var cluster = clusters[k];
            var front = cluster.Items[0].Front;
            var turn = MathF.Atan2(-cos, -sin) - MathF.Atan2(front.X, front.Z);
            var pivot = FootprintCentre(cluster.Bounds);
            foreach (var item in cluster.Items)
            {
                item.TurnAbout(pivot, turn);
            }

            var (min, max) = cluster.Bounds;
            var spot = centre + new Vector3(cos * radius, 0, sin * radius);
            var at = FootprintCentre((min, max));
            cluster.Move(new Vector3(spot.X - at.X, baseY - min.Y, spot.Z - at.Z));
        }
    }

    private void Surround(List<SceneItem> subjects, List<SceneItem> anchors)
    {
        var anchorCluster = Unite(anchors);
        var clusters = ClustersOf(subjects).Where(c => c != anchorCluster).ToList();
        if (clusters.Count == 0)
        {
            return;
        }

        var bounds = BoundsOf(anchors);
        Ring(clusters, FootprintCentre(bounds), Across(bounds), bounds.Min.Y);
        foreach (var cluster in clusters)
        {
            anchorCluster.Absorb(cluster);
        }
    }

    /// <summary>
    /// Puts <paramref name="moving"/> on the base items' top, centred, or beside what is already there; on a table
    /// or chair it is first shrunk, if need be, to cover at most 0.6 of its top ("a ball on a table").
    /// </summary>
    private void PutOn(SceneCluster moving, List<SceneItem> movingItems, List<SceneItem> baseItems, int baseObject)
    {
        var under = BoundsOf(baseItems);
        if (baseItems.Any(i => i.Clearance > 0))
        {
            Shrink(moving, 0.6f * Math.Min((under.Max.X - under.Min.X) / Width(moving.Bounds), (under.Max.Z - under.Min.Z) / Depth(moving.Bounds)));
        }

        var (min, max) = BoundsOf(movingItems);
        var shift = FootprintCentre(under) - FootprintCentre((min, max));
        if (_onTop.TryGetValue(baseObject, out var taken))
        {
            shift.X = taken.Max.X + (0.1f * (max.X - min.X)) - min.X;
            shift.Z = ((taken.Min.Z + taken.Max.Z) / 2) - ((min.Z + max.Z) / 2);
        }

        moving.Move(new Vector3(shift.X, Top(baseItems) - min.Y, shift.Z));
        var placed = moving.Bounds;
        _onTop[baseObject] = _onTop.TryGetValue(baseObject, out var before)
            ? (Vector3.Min(before.Min, placed.Min), Vector3.Max(before.Max, placed.Max))
            : placed;
    }

    /// <summary>Under a table or chair: shrunk to fit beneath it if need be, centred, on the same floor.</summary>
    private static void PutUnder(SceneCluster moving, List<SceneItem> anchors)
    {
        var above = BoundsOf(anchors);
        var clearance = anchors.Where(a => a.Clearance > 0).Min(a => a.WorldClearance);
        var (min, max) = moving.Bounds;
        var size = Vector3.Max(max - min, new Vector3(1e-3f));
        Shrink(moving, Math.Min(0.9f * clearance / size.Y, 0.8f * Math.Min((above.Max.X - above.Min.X) / size.X, (above.Max.Z - above.Min.Z) / size.Z)));
        (min, max) = moving.Bounds;
        var shift = FootprintCentre(above) - FootprintCentre((min, max));
        moving.Move(new Vector3(shift.X, above.Min.Y - min.Y, shift.Z));
    }

    /// <summary>Shrinks the cluster by <paramref name="fit"/> towards the middle of its base, when that is below 1.</summary>
    private static void Shrink(SceneCluster cluster, float fit)
    {
        if (fit < 1)
        {
            var (min, max) = cluster.Bounds;
            var pivot = FootprintCentre((min, max)) with { Y = min.Y };
            foreach (var item in cluster.Items)
            {
                item.ShrinkTowards(pivot, fit);
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="moving"/> clear of the whole anchor cluster in <paramref name="direction"/>, a little
    /// apart, lined up with the anchor itself across that direction and standing on the anchor's floor.
    /// </summary>
    private static void PutNextTo(SceneCluster moving, List<SceneItem> movingItems, SceneCluster anchorCluster, List<SceneItem> anchors, Vector3 direction)
    {
        var (min, max) = moving.Bounds;
        var (clusterMin, clusterMax) = anchorCluster.Bounds;
        var anchor = BoundsOf(anchors);
        var subject = BoundsOf(movingItems);
        var along = Vector3.Abs(direction);
        var gap = Math.Max(0.05f, 0.15f * Math.Max(Vector3.Dot(subject.Max - subject.Min, along), Vector3.Dot(anchor.Max - anchor.Min, along)));
        var shift = FootprintCentre(anchor) - FootprintCentre(subject);
        if (direction.X > 0)
        {
            shift.X = clusterMax.X + gap - min.X;
        }
        else if (direction.X < 0)
        {
            shift.X = clusterMin.X - gap - max.X;
        }
        else if (direction.Z > 0)
        {
            shift.Z = clusterMax.Z + gap - min.Z;
        }
        else
        {
            shift.Z = clusterMin.Z - gap - max.Z;
        }

        moving.Move(new Vector3(shift.X, anchor.Min.Y - subject.Min.Y, shift.Z));
    }
}
