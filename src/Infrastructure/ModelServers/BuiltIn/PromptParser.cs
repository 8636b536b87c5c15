using System.Globalization;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// A small, deterministic reading of a prompt. Colour, count and size words apply to the next shape word
/// ("two red cubes and a big blue ball"); a colour after the last shape ("a cube, red") goes to it; no shape
/// word at all gives blobs that keep the colour, count and size. Relation words between shapes say where
/// things go: the phrases before the word are its subjects, the shape after it the anchor ("a red sphere on a
/// blue cube", "three chairs around a table"); "with" joins parts to the object before it ("a tower with a
/// pyramid roof"). Words it does not know are skipped, so any prompt reads as something.
/// </summary>
internal static class PromptParser
{
    public const int MaxCount = 10;

    private static readonly Dictionary<string, ShapeKind> Shapes = BuildShapes();

    private static readonly Dictionary<string, PartWord> Parts = BuildParts();

    private static readonly Cue[] Cues = BuildCues();

    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["two"] = 2, ["pair"] = 2, ["couple"] = 2, ["three"] = 3,
        ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["dozen"] = 12,
    };

    private static readonly Dictionary<string, SizeKind> Sizes = new(StringComparer.Ordinal)
    {
        ["small"] = SizeKind.Small, ["tiny"] = SizeKind.Small, ["little"] = SizeKind.Small, ["mini"] = SizeKind.Small,
        ["large"] = SizeKind.Large, ["big"] = SizeKind.Large, ["huge"] = SizeKind.Large, ["giant"] = SizeKind.Large,
        ["enormous"] = SizeKind.Large, ["massive"] = SizeKind.Large,
        ["tall"] = SizeKind.Tall, ["towering"] = SizeKind.Tall, ["high"] = SizeKind.Tall,
        ["flat"] = SizeKind.Flat, ["thin"] = SizeKind.Flat,
        ["short"] = SizeKind.Short, ["low"] = SizeKind.Short, ["squat"] = SizeKind.Short,
        ["wide"] = SizeKind.Wide, ["broad"] = SizeKind.Wide,
        ["narrow"] = SizeKind.Narrow, ["slim"] = SizeKind.Narrow, ["skinny"] = SizeKind.Narrow, ["slender"] = SizeKind.Narrow,
        ["long"] = SizeKind.Long,
    };

    private enum CueKind
    {
        Relation,

        /// <summary>"surrounded by": the thing after the words is the subject.</summary>
        ReversedRelation,
        With,

        /// <summary>"stacked", "in a row": for the next shape while its phrase is open, else for the phrases before.</summary>
        Arrangement,

        /// <summary>"a stack of", "a row of": always for the next shape.</summary>
        ArrangementOf,

        /// <summary>"each other": the pending relation's subjects arranged among themselves.</summary>
        EachOther,

        /// <summary>"it", "them": the pending relation's anchor is the thing spoken of before.</summary>
        Pronoun,
        And,
    }

    public static PromptSpec Parse(string prompt, string? negativePrompt)
    {
        var tokens = Tokenize(prompt);
        var reading = new Reading(tokens);
        reading.Run();

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in Tokenize(negativePrompt ?? string.Empty))
        {
            if (Colors.TryGet(token, out var named))
            {
                excluded.Add(named.Name);
            }
        }

        return new PromptSpec(reading.Objects, excluded, string.Join(' ', tokens))
        {
            Relations = reading.Relations,
            Groupings = reading.Groupings,
        };
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    /// <summary>Objects whose top is flat enough to put a thing joined by "with" on it ("a table with a ball").</summary>
    private static bool HasFlatTop(ShapeKind shape) =>
        shape is ShapeKind.Cube or ShapeKind.Cylinder or ShapeKind.Table or ShapeKind.Tower or ShapeKind.Plane;

    private static bool IsRound(ShapeKind shape) =>
        shape is ShapeKind.Sphere or ShapeKind.Cylinder or ShapeKind.Cone or ShapeKind.Torus or ShapeKind.Dome or ShapeKind.Blob or ShapeKind.Snowman;

    private static Dictionary<string, ShapeKind> BuildShapes()
    {
        var shapes = new Dictionary<string, ShapeKind>(StringComparer.Ordinal);
        void Add(ShapeKind kind, params string[] words)
        {
            foreach (var word in words)
            {
                shapes[word] = kind;
            }
        }

        Add(ShapeKind.Cube, "cube", "cubes", "box", "boxes", "block", "blocks", "crate", "crates", "dice");
        Add(ShapeKind.Sphere, "sphere", "spheres", "ball", "balls", "orb", "orbs", "globe", "globes", "marble", "marbles");
        Add(ShapeKind.Cylinder, "cylinder", "cylinders", "tube", "tubes", "pipe", "pipes", "pillar", "pillars", "column", "columns");
        Add(ShapeKind.Cone, "cone", "cones");
        Add(ShapeKind.Pyramid, "pyramid", "pyramids", "tetrahedron");
        Add(ShapeKind.Torus, "torus", "tori", "toruses", "donut", "donuts", "doughnut", "doughnuts", "ring", "rings");
        Add(ShapeKind.Plane, "plane", "planes", "floor", "floors", "ground");
        Add(ShapeKind.Table, "table", "tables", "desk", "desks");
        Add(ShapeKind.Chair, "chair", "chairs", "stool", "stools", "seat", "seats");
        Add(ShapeKind.Tree, "tree", "trees", "pine", "pines");
        Add(ShapeKind.House, "house", "houses", "home", "homes", "cottage", "cottages", "hut", "huts");
        Add(ShapeKind.Snowman, "snowman", "snowmen");
        Add(ShapeKind.Car, "car", "cars", "automobile", "automobiles");
        Add(ShapeKind.Tower, "tower", "towers", "turret", "turrets", "skyscraper", "skyscrapers", "building", "buildings", "lighthouse");
        Add(ShapeKind.Dome, "dome", "domes", "hemisphere", "hemispheres");
        return shapes;
    }

    private static Dictionary<string, PartWord> BuildParts()
    {
        var parts = new Dictionary<string, PartWord>(StringComparer.Ordinal);
        void Add(PartKind part, ShapeKind shape, string[] singular, string[] plural, int pluralCount = 1)
        {
            // A plural with no number ("a car with wheels") gets the usual number of that part.
            foreach (var word in singular)
            {
                parts[word] = new PartWord(part, shape, 1);
            }

            foreach (var word in plural)
            {
                parts[word] = new PartWord(part, shape, pluralCount);
            }
        }

        Add(PartKind.Roof, ShapeKind.Pyramid, ["roof", "rooftop"], ["roofs"]);
        Add(PartKind.Hat, ShapeKind.Cone, ["hat", "cap"], ["hats", "caps"]);
        Add(PartKind.Lid, ShapeKind.Cube, ["lid"], ["lids"]);
        Add(PartKind.Spire, ShapeKind.Cone, ["spire", "steeple"], ["spires", "steeples"]);
        Add(PartKind.Chimney, ShapeKind.Cube, ["chimney"], ["chimneys"]);
        Add(PartKind.Wheels, ShapeKind.Cylinder, ["wheel", "tyre", "tire"], ["wheels", "tyres", "tires"], 4);
        Add(PartKind.Door, ShapeKind.Cube, ["door"], ["doors"]);
        Add(PartKind.Windows, ShapeKind.Cube, ["window"], ["windows"], 2);
        Add(PartKind.Handle, ShapeKind.Torus, ["handle"], ["handles"], 2);
        Add(PartKind.Legs, ShapeKind.Cylinder, ["leg"], ["legs"], 4);
        return parts;
    }

    private static Cue[] BuildCues()
    {
        var cues = new List<Cue>();
        void Relation(RelationKind kind, params string[] phrases) =>
            cues.AddRange(phrases.Select(p => new Cue(p.Split(' '), CueKind.Relation, kind)));
        void Arrange(Arrangement arrangement, CueKind kind, params string[] phrases) =>
            cues.AddRange(phrases.Select(p => new Cue(p.Split(' '), kind, Arrangement: arrangement)));
        void Other(CueKind kind, params string[] phrases) =>
            cues.AddRange(phrases.Select(p => new Cue(p.Split(' '), kind)));

        Relation(RelationKind.On, "on top of", "on top", "on", "onto", "upon", "atop", "above", "over");
        Relation(RelationKind.Under, "under", "underneath", "beneath", "below");
        Relation(RelationKind.Beside, "next to", "beside", "besides", "by", "near", "alongside", "close to");
        Relation(RelationKind.LeftOf, "to the left of", "on the left of", "left of", "to the left", "on the left");
        Relation(RelationKind.RightOf, "to the right of", "on the right of", "right of", "to the right", "on the right");
        Relation(RelationKind.Behind, "behind", "in back of");
        Relation(RelationKind.InFrontOf, "in front of", "in front");
        Relation(RelationKind.Around, "around", "all around", "surrounding", "circling", "encircling");
        cues.AddRange(new[] { "surrounded by", "encircled by", "ringed by", "circled by" }
            .Select(p => new Cue(p.Split(' '), CueKind.ReversedRelation, RelationKind.Around)));
        Other(CueKind.With, "with", "having", "wearing", "topped with", "topped by");
        Arrange(Arrangement.Row, CueKind.Arrangement, "in a row", "in a line", "in rows", "in a straight line", "in line", "side by side", "lined up");
        Arrange(Arrangement.Row, CueKind.ArrangementOf, "row of", "rows of", "line of", "lines of");
        Arrange(Arrangement.Stack, CueKind.Arrangement, "stacked up", "stacked", "piled up", "piled", "in a stack", "in a pile");
        Arrange(Arrangement.Stack, CueKind.ArrangementOf, "stack of", "stacks of", "pile of", "piles of", "tower of", "towers of", "heap of");
        Arrange(Arrangement.Circle, CueKind.Arrangement, "in a circle", "in a ring");
        Arrange(Arrangement.Circle, CueKind.ArrangementOf, "circle of", "ring of");
        Other(CueKind.EachOther, "each other", "one another");
        Other(CueKind.Pronoun, "it", "them");
        Other(CueKind.And, "and");

        // Longest first, so "on top of" wins over "on".
        return [.. cues.OrderByDescending(c => c.Words.Length)];
    }

    private sealed record PartWord(PartKind Part, ShapeKind Shape, int Count);

    private sealed record Cue(string[] Words, CueKind Kind, RelationKind Relation = default, Arrangement Arrangement = default);

    /// <summary>A relation word read, waiting for the shape after it.</summary>
    /// <param name="Kind">The relation.</param>
    /// <param name="Reversed">The shape after the words is the subject ("surrounded by").</param>
    /// <param name="Subjects">The phrases before the words.</param>
    /// <param name="DefaultAnchor">What it relates to when no shape follows ("a cube with a ball on top").</param>
    /// <param name="DropWithoutAnchor">Nothing to relate to when no shape follows.</param>
    private sealed record PendingRelation(RelationKind Kind, bool Reversed, List<int> Subjects, int? DefaultAnchor, bool DropWithoutAnchor);

    /// <summary>The state of reading one prompt, left to right.</summary>
    private sealed class Reading(List<string> tokens)
    {
        // The phrase being read.
        private Material? _color;
        private int? _count;
        private SizeKind _size;
        private string? _shade;
        private bool _pending;
        private bool _definite;
        private bool _unknownNoun;
        private Arrangement? _arrangement;

        // The phrases read: the subjects of the next relation word, and whether they are the last relation's anchor.
        private List<int> _group = [];
        private bool _groupIsAnchor;
        private PendingRelation? _relation;
        private int? _withOwner;
        private int? _lastPhrase;

        // The last thing joined by "with": its index, and the relation made for it (null for a part).
        private (int Index, Relation? Relation)? _attachment;

        public List<ObjectSpec> Objects { get; } = [];

        public List<Relation> Relations { get; } = [];

        public List<Grouping> Groupings { get; } = [];

        public void Run()
        {
            for (var i = 0; i < tokens.Count;)
            {
                if (MatchCue(i) is { } cue)
                {
                    OnCue(cue);
                    i += cue.Words.Length;
                    continue;
                }

                var token = tokens[i];
                if (Shapes.TryGetValue(token, out var shape))
                {
                    // "a pyramid roof": the shape of a part.
                    if (i + 1 < tokens.Count && Parts.TryGetValue(tokens[i + 1], out var shapedPart))
                    {
                        AddPhrase(shape, shapedPart with { Shape = shape }, shapeNamed: true);
                        i += 2;
                        continue;
                    }

                    AddPhrase(shape, null, shapeNamed: true);
                }
                else if (Parts.TryGetValue(token, out var part))
                {
                    AddPhrase(part.Shape, part, shapeNamed: false);
                }
                else
                {
                    ReadWord(token);
                }

                i++;
            }

            Finish();
        }

        private Cue? MatchCue(int at)
        {
            foreach (var cue in Cues)
            {
                if (at + cue.Words.Length > tokens.Count)
                {
                    continue;
                }

                var matches = true;
                for (var k = 0; k < cue.Words.Length && matches; k++)
                {
                    matches = tokens[at + k] == cue.Words[k];
                }

                if (matches)
                {
                    return cue;
                }
            }

            return null;
        }

        private void ReadWord(string token)
        {
            if (Colors.TryGet(token, out var named))
            {
                _color = _shade is null ? named : Colors.Shade(named, _shade);
                _pending = true;
            }
            else if (token is "wooden" or "wood")
            {
                _color = _shade is null ? Colors.Wood : Colors.Shade(Colors.Wood, _shade);
                _pending = true;
            }
            else if (token is "dark" or "light" or "pale" or "deep")
            {
                _shade = token is "dark" or "deep" ? "dark" : "light";
            }
            else if (Sizes.TryGetValue(token, out var sized))
            {
                _size |= sized;
                _pending = true;
            }
            else if (Numbers.TryGetValue(token, out var number))
            {
                // "a dozen" and "a pair" keep the bigger number.
                _count = Math.Max(_count ?? 0, number);
                _pending = true;
            }
            else if (token.All(char.IsAsciiDigit))
            {
                _count = token.Length > 3 ? MaxCount : int.Parse(token, CultureInfo.InvariantCulture);
                _pending = true;
            }
            else if (token == "the")
            {
                _definite = true;
            }
            else if (_color is not null || _size != SizeKind.Normal)
            {
                // "a red dragon on a cube": an unknown thing described, which a relation word makes a blob.
                _unknownNoun = true;
            }
        }

        private void OnCue(Cue cue)
        {
            switch (cue.Kind)
            {
                case CueKind.Relation or CueKind.ReversedRelation:
                    OnRelation(cue.Relation, cue.Kind == CueKind.ReversedRelation);
                    break;
                case CueKind.With:
                    CloseDescribedThing();
                    ResolveRelation();
                    if (_lastPhrase is { } owner)
                    {
                        // Parts of a part belong to the object ("a house with a roof with a chimney").
                        _withOwner = Objects[owner].Owner ?? owner;
                    }

                    break;
                case CueKind.ArrangementOf:
                    _arrangement = cue.Arrangement;
                    break;
                case CueKind.Arrangement when _pending || _group.Count == 0:
                    _arrangement = cue.Arrangement;
                    break;
                case CueKind.Arrangement:
                    ResolveRelation();
                    AddGrouping(AttachmentIsLast ? [_lastPhrase!.Value] : _group, cue.Arrangement);
                    break;
                case CueKind.EachOther when _relation is { } relation:
                    _relation = null;
                    AddGrouping(relation.Subjects, relation.Kind switch
                    {
                        RelationKind.On or RelationKind.Under => Arrangement.Stack,
                        RelationKind.Around => Arrangement.Circle,
                        _ => Arrangement.Row,
                    });
                    break;
                case CueKind.Pronoun or CueKind.And:
                    ResolveRelation();
                    break;
            }
        }

        private bool AttachmentIsLast => _attachment is { } a && a.Index == _lastPhrase;

        private void OnRelation(RelationKind kind, bool reversed)
        {
            CloseDescribedThing();
            ResolveRelation();
            if (AttachmentIsLast && _attachment!.Value.Relation is { } made)
            {
                // "a table with a ball on it": the words place the thing joined by "with", overriding the default.
                var index = _attachment.Value.Index;
                var owner = made.Anchor;
                Relations.RemoveAt(Relations.FindLastIndex(r => ReferenceEquals(r, made)));
                _attachment = null;
                _relation = new PendingRelation(kind, reversed, [index], owner, DropWithoutAnchor: false);
                return;
            }

            if (AttachmentIsLast && _withOwner is { } partOwner)
            {
                // "a house with a red roof next to a tree": the house is next to the tree.
                _relation = new PendingRelation(kind, reversed, [partOwner], null, DropWithoutAnchor: true);
                _withOwner = null;
                return;
            }

            _withOwner = null;
            _relation = _group.Count == 0 ? null : new PendingRelation(kind, reversed, [.. _group], null, DropWithoutAnchor: false);
        }

        /// <summary>At a relation word: an unknown thing described before it becomes a blob, a colour after a shape goes to it.</summary>
        private void CloseDescribedThing()
        {
            if (_pending && _unknownNoun)
            {
                AddPhrase(ShapeKind.Blob, null, shapeNamed: false);
                return;
            }

            if (_pending && _color is not null && _lastPhrase is { } last && Objects[last].Color is null)
            {
                Objects[last] = Objects[last] with { Color = _color };
            }

            ResetPhrase();
        }

        private void ResetPhrase()
        {
            (_color, _count, _size, _shade, _pending, _definite, _unknownNoun) = (null, null, SizeKind.Normal, null, false, false, false);
        }

        private void AddPhrase(ShapeKind shape, PartWord? part, bool shapeNamed)
        {
            var index = _definite ? Objects.FindLastIndex(o => o.Shape == shape && o.Owner is null && (_color is null || o.Color?.Name == _color.Name)) : -1;
            var created = index < 0;
            if (created)
            {
                var count = Math.Clamp(_count ?? part?.Count ?? 1, 1, MaxCount);
                Objects.Add(new ObjectSpec(shape, _color, count, _size) { Part = part?.Part ?? PartKind.None });
                index = Objects.Count - 1;
            }

            var arrangement = _arrangement;
            ResetPhrase();
            _arrangement = null;
            if (arrangement is { } prefix)
            {
                AddGrouping([index], prefix);
            }

            Place(index, shapeNamed, created);
        }

        private void Place(int index, bool shapeNamed, bool created)
        {
            _lastPhrase = index;
            if (_relation is { } relation)
            {
                _relation = null;
                Complete(relation, index);
                _group = [index];
                _groupIsAnchor = true;
                return;
            }

            // Only a thing named for the first time is joined: "the cube" after "with" is already placed.
            if (_withOwner is { } owner && created)
            {
                Attach(owner, index, shapeNamed);
                return;
            }

            if (_groupIsAnchor)
            {
                _group = [];
                _groupIsAnchor = false;
            }

            if (!_group.Contains(index))
            {
                _group.Add(index);
            }
        }

        /// <summary>
        /// Joins a thing read after "with" to its owner: part words and single pyramids, cones and domes become
        /// parts (a roof); chairs go around a table; anything else sits on an owner with a flat top, or beside it.
        /// </summary>
        private void Attach(int owner, int index, bool shapeNamed)
        {
            var obj = Objects[index];
            var ownerShape = Objects[owner].Shape;
            var part = obj.Part;
            if (part == PartKind.None && obj.Shape is ShapeKind.Pyramid or ShapeKind.Cone or ShapeKind.Dome && obj.Count == 1)
            {
                part = PartKind.Roof;
            }

            if (part != PartKind.None)
            {
                var shape = part == PartKind.Lid && !shapeNamed ? (IsRound(ownerShape) ? ShapeKind.Cylinder : ShapeKind.Cube) : obj.Shape;
                Objects[index] = obj with { Shape = shape, Part = part, Owner = owner };
                _attachment = (index, null);
                return;
            }

            if (obj.Shape == ShapeKind.Plane)
            {
                // A floor is the ground under everything anyway.
                return;
            }

            var kind = obj.Shape == ShapeKind.Chair && ownerShape == ShapeKind.Table ? RelationKind.Around
                : HasFlatTop(ownerShape) ? RelationKind.On
                : RelationKind.Beside;
            var relation = new Relation([index], kind, owner);
            Relations.Add(relation);
            _attachment = (index, relation);
        }

        private void Complete(PendingRelation relation, int anchor)
        {
            List<int> subjects = relation.Reversed ? [anchor] : relation.Subjects;
            if (relation.Reversed)
            {
                anchor = relation.Subjects[^1];
            }

            if (subjects.Contains(anchor))
            {
                return;
            }

            // "a red roof on a tower" is the tower's roof (unless the roof has parts of its own).
            if (relation.Kind == RelationKind.On && subjects is [var single] && Objects[single] is { Part: not PartKind.None, Owner: null } part
                && !Objects.Any(o => o.Owner == single))
            {
                Objects[single] = part with { Owner = anchor };
                return;
            }

            Relations.Add(new Relation(subjects, relation.Kind, anchor));
        }

        /// <summary>A relation word with no shape after it: "a cube and a ball on top" puts the ball on the cube.</summary>
        private void ResolveRelation()
        {
            if (_relation is not { } relation)
            {
                return;
            }

            _relation = null;
            if (relation.DefaultAnchor is { } given)
            {
                Complete(relation, given);
                return;
            }

            if (relation.DropWithoutAnchor || relation.Reversed)
            {
                return;
            }

            if (relation.Subjects.Count >= 2)
            {
                Complete(relation with { Subjects = [relation.Subjects[^1]] }, relation.Subjects[^2]);
                return;
            }

            var before = relation.Subjects[0] - 1;
            while (before >= 0 && Objects[before].Owner is not null)
            {
                before--;
            }

            if (before >= 0)
            {
                Complete(relation, before);
            }
        }

        private void AddGrouping(List<int> objects, Arrangement arrangement)
        {
            if (objects.Count > 0 && !Groupings.Any(g => g.Arrangement == arrangement && g.Objects.SequenceEqual(objects)))
            {
                Groupings.Add(new Grouping([.. objects], arrangement));
            }
        }

        private void Finish()
        {
            if (_relation is not null && _pending && _unknownNoun)
            {
                // "a cube on a red dragon": the dragon is the anchor, as a blob.
                AddPhrase(ShapeKind.Blob, null, shapeNamed: false);
            }

            ResolveRelation();
            if (Objects.Count == 0)
            {
                Objects.Add(new ObjectSpec(ShapeKind.Blob, _color, Math.Clamp(_count ?? 1, 1, MaxCount), _size));
            }
            else if (_pending && _color is not null && Objects[^1].Color is null)
            {
                Objects[^1] = Objects[^1] with { Color = _color };
            }
        }
    }
}
