namespace ArtGallery.Engines.Demo;

/// <summary>The generated movements of the demo collection: each is a painting technique.</summary>
public enum DemoMovement
{
    Pointillism,
    HardEdge,
    Drip,
    OpArt,
    ColourField,
    Mosaic,
    InkWash,
    CubistFacets,
    NeoPlastic,
    Swirl,
}

/// <summary>What a generated work shows: the same subjects appear in every movement.</summary>
public enum DemoSubject
{
    Landscape,
    Portrait,
    StillLife,
    Cityscape,
    Seascape,
    Tree,
}

public sealed record DemoArtist(string Name, DemoMovement Movement, int BirthYear, string Nationality, int PaletteShift);

public sealed record DemoWork(
    int Index,
    string Title,
    DemoArtist Artist,
    DemoMovement Movement,
    DemoSubject Subject,
    int Year,
    string Medium,
    int Width,
    int Height,
    int Seed);

/// <summary>
/// Plans the demo collection deterministically from a seed: invented artists (three per movement),
/// titles, years and sizes. Nothing here depicts or names a real work.
/// </summary>
public static class DemoCatalogue
{
    public const string GeneratedNotice = "Generated demo work: procedurally painted by ArtGallery's demo generator. Not a real artwork; the artist is invented.";

    private static readonly string[] FirstNames =
        ["Ilse", "Tomas", "Mirela", "Anouk", "Kasper", "Odile", "Renzo", "Saskia", "Yusuf", "Leontine", "Bram", "Clio",
         "Davide", "Elin", "Fenna", "Gustav", "Hana", "Ivo", "Jolien", "Koen", "Lotte", "Matthijs", "Nora", "Oskar",
         "Pia", "Quentin", "Roos", "Stellan", "Tova", "Ulrich"];

    private static readonly string[] Surnames =
        ["Vermeulen", "Achterberg", "Castellan", "Dravik", "Elmquist", "Ferreira", "Grünwald", "Holmqvist", "Ibarra",
         "Jansma", "Kowalczyk", "Lindqvist", "Marchetti", "Novak", "Oosterhuis", "Petrescu", "Quist", "Rademaker",
         "Sandoval", "Terhaar", "Ueda", "Valkenburg", "Wierenga", "Xanthos", "Ysebaert", "Zeller", "Brouwer", "Caspari",
         "Dekker", "Estrada"];

    private static readonly string[] Nationalities = ["Dutch", "Italian", "Swedish", "Portuguese", "Polish", "Romanian", "Spanish", "Greek", "Belgian", "Japanese"];

    public static string MovementName(DemoMovement movement) => movement switch
    {
        DemoMovement.Pointillism => "Generated Pointillism",
        DemoMovement.HardEdge => "Generated Hard-edge",
        DemoMovement.Drip => "Generated Drip",
        DemoMovement.OpArt => "Generated Op Art",
        DemoMovement.ColourField => "Generated Colour Field",
        DemoMovement.Mosaic => "Generated Mosaic",
        DemoMovement.InkWash => "Generated Ink Wash",
        DemoMovement.CubistFacets => "Generated Cubist Facets",
        DemoMovement.NeoPlastic => "Generated Neo-plastic",
        DemoMovement.Swirl => "Generated Swirl",
        _ => throw new ArgumentOutOfRangeException(nameof(movement), movement, null),
    };

    public static string Medium(DemoMovement movement) => movement switch
    {
        DemoMovement.InkWash => "Generated ink on paper",
        DemoMovement.Mosaic => "Generated tesserae",
        DemoMovement.Drip => "Generated enamel on canvas",
        DemoMovement.OpArt or DemoMovement.HardEdge or DemoMovement.NeoPlastic => "Generated acrylic on canvas",
        _ => "Generated oil on canvas",
    };

    /// <summary>Decade in which each generated movement "flourished", for plausible years.</summary>
    private static int MovementStart(DemoMovement movement) => movement switch
    {
        DemoMovement.Pointillism => 1884,
        DemoMovement.Swirl => 1886,
        DemoMovement.CubistFacets => 1908,
        DemoMovement.NeoPlastic => 1917,
        DemoMovement.InkWash => 1890,
        DemoMovement.Mosaic => 1900,
        DemoMovement.Drip => 1947,
        DemoMovement.ColourField => 1950,
        DemoMovement.HardEdge => 1959,
        DemoMovement.OpArt => 1962,
        _ => 1900,
    };

    public static IReadOnlyList<DemoArtist> Artists(int seed)
    {
        var random = new Random(seed);
        var movements = Enum.GetValues<DemoMovement>();
        var artists = new List<DemoArtist>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var movement in movements)
        {
            for (var k = 0; k < 3; k++)
            {
                string name;
                do
                {
                    name = $"{FirstNames[random.Next(FirstNames.Length)]} {Surnames[random.Next(Surnames.Length)]}";
                }
                while (!used.Add(name));

                artists.Add(new DemoArtist(name, movement, MovementStart(movement) - 30 + random.Next(20),
                    Nationalities[random.Next(Nationalities.Length)], random.Next(-25, 26)));
            }
        }

        return artists;
    }

    /// <summary>Plans <paramref name="count"/> works spread evenly over the movements and subjects.</summary>
    public static IReadOnlyList<DemoWork> Plan(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var artists = Artists(seed);
        var movements = Enum.GetValues<DemoMovement>();
        var subjects = Enum.GetValues<DemoSubject>();
        var random = new Random(seed * 7919 + 1);
        (int W, int H)[] formats = [(640, 480), (480, 640), (576, 576), (672, 448), (448, 672)];
        var works = new List<DemoWork>(count);
        for (var i = 0; i < count; i++)
        {
            var movement = movements[i % movements.Length];
            var subject = subjects[(i / movements.Length) % subjects.Length];
            var artist = artists[(movements.Length > 0 ? Array.IndexOf(movements, movement) * 3 : 0) + random.Next(3)];
            var (w, h) = subject == DemoSubject.Portrait ? formats[1] : formats[random.Next(formats.Length)];
            var year = Math.Max(artist.BirthYear + 18, MovementStart(movement) + random.Next(25));
            works.Add(new DemoWork(i, Title(subject, random), artist, movement, subject, year, Medium(movement), w, h, random.Next()));
        }

        return works;
    }

    private static string Title(DemoSubject subject, Random random)
    {
        string[] nouns = subject switch
        {
            DemoSubject.Landscape => ["Hills", "Field", "Valley", "Dunes", "Meadow", "Heath"],
            DemoSubject.Portrait => ["Portrait of a Woman", "Man in Profile", "Seated Figure", "The Sitter", "Young Reader", "Self-portrait"],
            DemoSubject.StillLife => ["Still Life with Jug", "Pears and Bowl", "Vase on a Table", "Lemons", "Bottle and Glass", "Apples"],
            DemoSubject.Cityscape => ["City Blocks", "Rooftops", "Harbour Town", "Towers", "Street Corner", "Quay"],
            DemoSubject.Seascape => ["Seascape", "Open Water", "Low Tide", "Breakers", "Coastline", "Sailing"],
            DemoSubject.Tree => ["Lone Tree", "Poplar", "The Old Oak", "Orchard Tree", "Willow", "Cypress"],
            _ => ["Untitled"],
        };
        string[] qualifiers = ["at Dusk", "in Spring", "at Noon", "in Winter", "No. " + random.Next(2, 40), "in Blue", "in Ochre", "after Rain", "at Night", "(Study)", "in Red", "at Dawn"];
        return $"{nouns[random.Next(nouns.Length)]} {qualifiers[random.Next(qualifiers.Length)]}";
    }
}
