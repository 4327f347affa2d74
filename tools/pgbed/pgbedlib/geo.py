"""Synthetic geography and name tables for the customer database.

Countries carry a weight (share of customers), ISO 3166-2 regions (US states,
Canadian provinces, Australian states, German Laender, French regions, ...)
with rough population weights and a few cities each, name lists, street
names, e-mail domains and phone/postal formats. Everything here is invented
or public general knowledge; no real person's data.
"""

# Member states of the European Union (GDPR applies); GB and CH have their own laws.
EU_MEMBER_STATES = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
                    "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

# country: (name, weight, phone code, currency, [(region code, region name, weight, [cities])])
COUNTRIES = {
    "US": ("United States", 24, "1", "USD", [
        ("US-CA", "California", 12, ["Los Angeles", "San Diego", "San Jose", "Sacramento"]),
        ("US-TX", "Texas", 9, ["Houston", "Dallas", "Austin", "San Antonio"]),
        ("US-FL", "Florida", 6.5, ["Miami", "Tampa", "Orlando", "Jacksonville"]),
        ("US-NY", "New York", 6, ["New York", "Buffalo", "Rochester"]),
        ("US-PA", "Pennsylvania", 4, ["Philadelphia", "Pittsburgh"]),
        ("US-IL", "Illinois", 3.8, ["Chicago", "Springfield"]),
        ("US-OH", "Ohio", 3.5, ["Columbus", "Cleveland", "Cincinnati"]),
        ("US-GA", "Georgia", 3.2, ["Atlanta", "Savannah"]),
        ("US-NC", "North Carolina", 3.2, ["Charlotte", "Raleigh"]),
        ("US-MI", "Michigan", 3, ["Detroit", "Grand Rapids"]),
        ("US-NJ", "New Jersey", 2.8, ["Newark", "Jersey City"]),
        ("US-VA", "Virginia", 2.6, ["Virginia Beach", "Richmond"]),
        ("US-WA", "Washington", 2.3, ["Seattle", "Spokane"]),
        ("US-AZ", "Arizona", 2.2, ["Phoenix", "Tucson"]),
        ("US-MA", "Massachusetts", 2.1, ["Boston", "Worcester"]),
        ("US-TN", "Tennessee", 2.1, ["Nashville", "Memphis"]),
        ("US-IN", "Indiana", 2, ["Indianapolis"]),
        ("US-MD", "Maryland", 1.8, ["Baltimore"]),
        ("US-MO", "Missouri", 1.8, ["Kansas City", "St. Louis"]),
        ("US-WI", "Wisconsin", 1.8, ["Milwaukee", "Madison"]),
        ("US-CO", "Colorado", 1.7, ["Denver", "Colorado Springs"]),
        ("US-MN", "Minnesota", 1.7, ["Minneapolis", "Saint Paul"]),
        ("US-SC", "South Carolina", 1.6, ["Columbia", "Charleston"]),
        ("US-AL", "Alabama", 1.5, ["Birmingham", "Montgomery"]),
        ("US-LA", "Louisiana", 1.4, ["New Orleans", "Baton Rouge"]),
        ("US-KY", "Kentucky", 1.4, ["Louisville", "Lexington"]),
        ("US-OR", "Oregon", 1.3, ["Portland", "Eugene"]),
        ("US-OK", "Oklahoma", 1.2, ["Oklahoma City", "Tulsa"]),
        ("US-CT", "Connecticut", 1.1, ["Hartford", "New Haven"]),
        ("US-UT", "Utah", 1, ["Salt Lake City"]),
        ("US-IA", "Iowa", 1, ["Des Moines"]),
        ("US-NV", "Nevada", 1, ["Las Vegas", "Reno"]),
        ("US-AR", "Arkansas", 0.9, ["Little Rock"]),
        ("US-MS", "Mississippi", 0.9, ["Jackson"]),
        ("US-KS", "Kansas", 0.9, ["Wichita"]),
        ("US-NM", "New Mexico", 0.6, ["Albuquerque"]),
        ("US-NE", "Nebraska", 0.6, ["Omaha"]),
        ("US-ID", "Idaho", 0.6, ["Boise"]),
        ("US-HI", "Hawaii", 0.4, ["Honolulu"]),
        ("US-NH", "New Hampshire", 0.4, ["Manchester"]),
        ("US-ME", "Maine", 0.4, ["Portland"]),
        ("US-DE", "Delaware", 0.3, ["Wilmington"]),
        ("US-AK", "Alaska", 0.2, ["Anchorage"]),
        ("US-VT", "Vermont", 0.2, ["Burlington"]),
    ]),
    "GB": ("United Kingdom", 10, "44", "GBP", [
        ("GB-ENG", "England", 84, ["London", "Manchester", "Birmingham", "Leeds", "Bristol"]),
        ("GB-SCT", "Scotland", 8, ["Glasgow", "Edinburgh", "Aberdeen"]),
        ("GB-WLS", "Wales", 5, ["Cardiff", "Swansea"]),
        ("GB-NIR", "Northern Ireland", 3, ["Belfast", "Derry"]),
    ]),
    "CA": ("Canada", 6, "1", "CAD", [
        ("CA-ON", "Ontario", 38, ["Toronto", "Ottawa", "Hamilton"]),
        ("CA-QC", "Quebec", 22, ["Montréal", "Québec", "Laval"]),
        ("CA-BC", "British Columbia", 14, ["Vancouver", "Victoria", "Surrey"]),
        ("CA-AB", "Alberta", 12, ["Calgary", "Edmonton"]),
        ("CA-MB", "Manitoba", 3.6, ["Winnipeg"]),
        ("CA-SK", "Saskatchewan", 3, ["Saskatoon", "Regina"]),
        ("CA-NS", "Nova Scotia", 2.6, ["Halifax"]),
        ("CA-NB", "New Brunswick", 2, ["Moncton", "Fredericton"]),
        ("CA-NL", "Newfoundland and Labrador", 1.4, ["St. John's"]),
        ("CA-PE", "Prince Edward Island", 0.4, ["Charlottetown"]),
    ]),
    "AU": ("Australia", 5, "61", "AUD", [
        ("AU-NSW", "New South Wales", 31, ["Sydney", "Newcastle", "Wollongong"]),
        ("AU-VIC", "Victoria", 26, ["Melbourne", "Geelong"]),
        ("AU-QLD", "Queensland", 20, ["Brisbane", "Gold Coast", "Cairns"]),
        ("AU-WA", "Western Australia", 11, ["Perth"]),
        ("AU-SA", "South Australia", 7, ["Adelaide"]),
        ("AU-TAS", "Tasmania", 2, ["Hobart"]),
        ("AU-ACT", "Australian Capital Territory", 2, ["Canberra"]),
        ("AU-NT", "Northern Territory", 1, ["Darwin"]),
    ]),
    "DE": ("Germany", 12, "49", "EUR", [
        ("DE-NW", "Nordrhein-Westfalen", 21.5, ["Köln", "Düsseldorf", "Dortmund", "Essen"]),
        ("DE-BY", "Bayern", 15.8, ["München", "Nürnberg", "Augsburg"]),
        ("DE-BW", "Baden-Württemberg", 13.4, ["Stuttgart", "Karlsruhe", "Mannheim"]),
        ("DE-NI", "Niedersachsen", 9.6, ["Hannover", "Braunschweig"]),
        ("DE-HE", "Hessen", 7.6, ["Frankfurt am Main", "Wiesbaden"]),
        ("DE-SN", "Sachsen", 4.9, ["Leipzig", "Dresden"]),
        ("DE-RP", "Rheinland-Pfalz", 4.9, ["Mainz", "Ludwigshafen"]),
        ("DE-BE", "Berlin", 4.4, ["Berlin"]),
        ("DE-SH", "Schleswig-Holstein", 3.5, ["Kiel", "Lübeck"]),
        ("DE-BB", "Brandenburg", 3.0, ["Potsdam", "Cottbus"]),
        ("DE-ST", "Sachsen-Anhalt", 2.6, ["Magdeburg", "Halle (Saale)"]),
        ("DE-TH", "Thüringen", 2.5, ["Erfurt", "Jena"]),
        ("DE-HH", "Hamburg", 2.2, ["Hamburg"]),
        ("DE-MV", "Mecklenburg-Vorpommern", 1.9, ["Rostock", "Schwerin"]),
        ("DE-SL", "Saarland", 1.2, ["Saarbrücken"]),
        ("DE-HB", "Bremen", 0.8, ["Bremen", "Bremerhaven"]),
    ]),
    "FR": ("France", 8, "33", "EUR", [
        ("FR-IDF", "Île-de-France", 18.5, ["Paris", "Boulogne-Billancourt", "Versailles"]),
        ("FR-ARA", "Auvergne-Rhône-Alpes", 12, ["Lyon", "Grenoble", "Clermont-Ferrand"]),
        ("FR-NAQ", "Nouvelle-Aquitaine", 9, ["Bordeaux", "Limoges"]),
        ("FR-OCC", "Occitanie", 9, ["Toulouse", "Montpellier"]),
        ("FR-HDF", "Hauts-de-France", 9, ["Lille", "Amiens"]),
        ("FR-GES", "Grand Est", 8.5, ["Strasbourg", "Reims", "Metz"]),
        ("FR-PAC", "Provence-Alpes-Côte d'Azur", 7.5, ["Marseille", "Nice", "Toulon"]),
        ("FR-PDL", "Pays de la Loire", 5.7, ["Nantes", "Angers"]),
        ("FR-BRE", "Bretagne", 5, ["Rennes", "Brest"]),
        ("FR-NOR", "Normandie", 5, ["Rouen", "Caen"]),
        ("FR-BFC", "Bourgogne-Franche-Comté", 4.2, ["Dijon", "Besançon"]),
        ("FR-CVL", "Centre-Val de Loire", 3.8, ["Tours", "Orléans"]),
        ("FR-COR", "Corse", 0.5, ["Ajaccio", "Bastia"]),
    ]),
    "IT": ("Italy", 6, "39", "EUR", [
        ("IT-25", "Lombardia", 17, ["Milano", "Bergamo", "Brescia"]),
        ("IT-62", "Lazio", 9.7, ["Roma", "Latina"]),
        ("IT-72", "Campania", 9.5, ["Napoli", "Salerno"]),
        ("IT-82", "Sicilia", 8.2, ["Palermo", "Catania"]),
        ("IT-34", "Veneto", 8.2, ["Venezia", "Verona", "Padova"]),
        ("IT-45", "Emilia-Romagna", 7.5, ["Bologna", "Parma", "Modena"]),
        ("IT-21", "Piemonte", 7.2, ["Torino", "Novara"]),
        ("IT-75", "Puglia", 6.7, ["Bari", "Lecce"]),
        ("IT-52", "Toscana", 6.2, ["Firenze", "Pisa"]),
        ("IT-78", "Calabria", 3.2, ["Reggio Calabria"]),
        ("IT-88", "Sardegna", 2.7, ["Cagliari", "Sassari"]),
        ("IT-42", "Liguria", 2.6, ["Genova"]),
        ("IT-57", "Marche", 2.5, ["Ancona"]),
        ("IT-65", "Abruzzo", 2.2, ["Pescara", "L'Aquila"]),
        ("IT-36", "Friuli-Venezia Giulia", 2, ["Trieste", "Udine"]),
        ("IT-32", "Trentino-Alto Adige", 1.8, ["Trento", "Bolzano"]),
        ("IT-55", "Umbria", 1.5, ["Perugia"]),
    ]),
    "ES": ("Spain", 6, "34", "EUR", [
        ("ES-AN", "Andalucía", 18, ["Sevilla", "Málaga", "Granada"]),
        ("ES-CT", "Catalunya", 16.5, ["Barcelona", "Girona", "Tarragona"]),
        ("ES-MD", "Comunidad de Madrid", 14.5, ["Madrid", "Alcalá de Henares"]),
        ("ES-VC", "Comunitat Valenciana", 10.7, ["Valencia", "Alicante"]),
        ("ES-GA", "Galicia", 5.7, ["Vigo", "A Coruña"]),
        ("ES-CL", "Castilla y León", 5.1, ["Valladolid", "León"]),
        ("ES-PV", "País Vasco", 4.7, ["Bilbao", "San Sebastián"]),
        ("ES-CN", "Canarias", 4.6, ["Las Palmas", "Santa Cruz de Tenerife"]),
        ("ES-CM", "Castilla-La Mancha", 4.3, ["Toledo", "Albacete"]),
        ("ES-MC", "Región de Murcia", 3.2, ["Murcia", "Cartagena"]),
        ("ES-AR", "Aragón", 2.8, ["Zaragoza"]),
        ("ES-IB", "Illes Balears", 2.5, ["Palma"]),
        ("ES-EX", "Extremadura", 2.2, ["Badajoz", "Cáceres"]),
        ("ES-AS", "Asturias", 2.1, ["Oviedo", "Gijón"]),
        ("ES-NC", "Navarra", 1.4, ["Pamplona"]),
    ]),
    "NL": ("Netherlands", 4, "31", "EUR", [
        ("NL-ZH", "Zuid-Holland", 21, ["Rotterdam", "Den Haag", "Leiden"]),
        ("NL-NH", "Noord-Holland", 17, ["Amsterdam", "Haarlem"]),
        ("NL-NB", "Noord-Brabant", 15, ["Eindhoven", "Tilburg"]),
        ("NL-GE", "Gelderland", 12, ["Nijmegen", "Arnhem"]),
        ("NL-UT", "Utrecht", 8, ["Utrecht", "Amersfoort"]),
        ("NL-OV", "Overijssel", 7, ["Enschede", "Zwolle"]),
        ("NL-LI", "Limburg", 6, ["Maastricht", "Venlo"]),
        ("NL-FR", "Fryslân", 4, ["Leeuwarden"]),
        ("NL-GR", "Groningen", 3.5, ["Groningen"]),
        ("NL-DR", "Drenthe", 3, ["Assen", "Emmen"]),
        ("NL-FL", "Flevoland", 2.5, ["Almere", "Lelystad"]),
        ("NL-ZE", "Zeeland", 2, ["Middelburg", "Vlissingen"]),
    ]),
    "PL": ("Poland", 4, "48", "PLN", [
        ("PL-14", "Mazowieckie", 14, ["Warszawa", "Radom"]),
        ("PL-24", "Śląskie", 11.5, ["Katowice", "Gliwice"]),
        ("PL-30", "Wielkopolskie", 9.2, ["Poznań", "Kalisz"]),
        ("PL-12", "Małopolskie", 9, ["Kraków", "Tarnów"]),
        ("PL-02", "Dolnośląskie", 7.6, ["Wrocław", "Legnica"]),
        ("PL-10", "Łódzkie", 6.4, ["Łódź"]),
        ("PL-22", "Pomorskie", 6.1, ["Gdańsk", "Gdynia"]),
        ("PL-18", "Podkarpackie", 5.5, ["Rzeszów"]),
        ("PL-06", "Lubelskie", 5.5, ["Lublin"]),
        ("PL-04", "Kujawsko-Pomorskie", 5.4, ["Bydgoszcz", "Toruń"]),
        ("PL-32", "Zachodniopomorskie", 4.4, ["Szczecin"]),
        ("PL-28", "Warmińsko-Mazurskie", 3.7, ["Olsztyn"]),
    ]),
    "SE": ("Sweden", 3, "46", "SEK", [
        ("SE-AB", "Stockholms län", 24, ["Stockholm", "Södertälje"]),
        ("SE-O", "Västra Götalands län", 17, ["Göteborg", "Borås"]),
        ("SE-M", "Skåne län", 13, ["Malmö", "Helsingborg", "Lund"]),
        ("SE-E", "Östergötlands län", 4.6, ["Linköping", "Norrköping"]),
        ("SE-C", "Uppsala län", 3.9, ["Uppsala"]),
        ("SE-F", "Jönköpings län", 3.5, ["Jönköping"]),
        ("SE-AC", "Västerbottens län", 2.6, ["Umeå"]),
    ]),
    "IE": ("Ireland", 2, "353", "EUR", [
        ("IE-D", "Dublin", 28, ["Dublin", "Dún Laoghaire"]),
        ("IE-CO", "Cork", 11, ["Cork"]),
        ("IE-G", "Galway", 5, ["Galway"]),
        ("IE-LK", "Limerick", 4, ["Limerick"]),
        ("IE-KE", "Kildare", 5, ["Naas", "Newbridge"]),
        ("IE-WD", "Waterford", 2.5, ["Waterford"]),
    ]),
    "AT": ("Austria", 2.5, "43", "EUR", [
        ("AT-9", "Wien", 22, ["Wien"]),
        ("AT-3", "Niederösterreich", 19, ["St. Pölten", "Wiener Neustadt"]),
        ("AT-4", "Oberösterreich", 17, ["Linz", "Wels"]),
        ("AT-6", "Steiermark", 14, ["Graz"]),
        ("AT-7", "Tirol", 8.5, ["Innsbruck"]),
        ("AT-2", "Kärnten", 6, ["Klagenfurt", "Villach"]),
        ("AT-5", "Salzburg", 6, ["Salzburg"]),
        ("AT-8", "Vorarlberg", 4.5, ["Bregenz", "Dornbirn"]),
        ("AT-1", "Burgenland", 3, ["Eisenstadt"]),
    ]),
    "BE": ("Belgium", 2.5, "32", "EUR", [
        ("BE-VLG", "Vlaanderen", 58, ["Antwerpen", "Gent", "Brugge"]),
        ("BE-WAL", "Wallonie", 32, ["Liège", "Charleroi", "Namur"]),
        ("BE-BRU", "Bruxelles-Capitale", 10, ["Bruxelles"]),
    ]),
    "CH": ("Switzerland", 2, "41", "CHF", [
        ("CH-ZH", "Zürich", 18, ["Zürich", "Winterthur"]),
        ("CH-BE", "Bern", 12, ["Bern", "Biel/Bienne"]),
        ("CH-VD", "Vaud", 9.5, ["Lausanne"]),
        ("CH-AG", "Aargau", 8, ["Aarau", "Baden"]),
        ("CH-GE", "Genève", 6, ["Genève"]),
        ("CH-SG", "St. Gallen", 6, ["St. Gallen"]),
        ("CH-TI", "Ticino", 4, ["Lugano", "Bellinzona"]),
        ("CH-BS", "Basel-Stadt", 2.3, ["Basel"]),
    ]),
}

# language group of a country: first names, last names, streets, mail domains
LANG = {"US": "en", "GB": "en", "CA": "en", "AU": "en", "IE": "en", "DE": "de", "AT": "de",
        "CH": "de", "FR": "fr", "BE": "fr", "IT": "it", "ES": "es", "NL": "nl", "PL": "pl", "SE": "sv"}

FIRST = {
    "en": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
           "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
           "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
           "Mark", "Margaret", "Donald", "Sandra", "Paul", "Ashley", "Steven", "Emily", "Andrew",
           "Donna", "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda", "Siobhan", "Liam"],
    "de": ["Lukas", "Anna", "Maximilian", "Laura", "Jonas", "Lea", "Felix", "Lena", "Paul", "Julia",
           "Leon", "Sophie", "Tobias", "Hannah", "Florian", "Katharina", "Jürgen", "Ursula", "Günter",
           "Monika", "Stefan", "Sabine", "Andreas", "Petra", "Matthias", "Claudia", "Jörg", "Birgit"],
    "fr": ["Jean", "Marie", "Pierre", "Camille", "Louis", "Léa", "Nicolas", "Chloé", "Julien",
           "Manon", "Mathieu", "Élodie", "François", "Inès", "Antoine", "Céline", "Hugo", "Amélie",
           "Thibault", "Margaux", "Bruno", "Sylvie"],
    "it": ["Marco", "Giulia", "Alessandro", "Francesca", "Luca", "Chiara", "Matteo", "Sara",
           "Lorenzo", "Martina", "Andrea", "Valentina", "Giuseppe", "Elena", "Davide", "Federica",
           "Niccolò", "Alessia"],
    "es": ["Antonio", "María", "José", "Carmen", "Manuel", "Lucía", "Javier", "Ana", "David",
           "Laura", "Daniel", "Marta", "Sergio", "Paula", "Álvaro", "Cristina", "Iñigo", "Núria"],
    "nl": ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Jesse", "Sanne", "Thijs", "Lotte",
           "Bram", "Anouk", "Ruben", "Fleur", "Joris", "Maaike"],
    "pl": ["Jakub", "Anna", "Kacper", "Zuzanna", "Mateusz", "Julia", "Piotr", "Katarzyna",
           "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Magdalena", "Tomasz", "Joanna"],
    "sv": ["Erik", "Anna", "Lars", "Maria", "Karl", "Eva", "Johan", "Karin", "Anders", "Sara",
           "Per", "Ingrid", "Björn", "Astrid", "Oskar", "Elin"],
}
LAST = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
           "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
           "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
           "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
           "Carter", "Phillips", "Evans", "Turner", "O'Brien", "Murphy", "Kelly", "MacDonald"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
           "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Huber", "Gruber"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand",
           "Roux", "Vincent", "Fournier", "Morel", "Girard", "Peeters", "Janssens"],
    "it": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano",
           "Rizzo", "Lombardi", "Moretti"],
    "es": ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
           "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
           "Romero", "Navarro", "Torres"],
    "nl": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
           "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters"],
    "pl": ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
           "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur"],
    "sv": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
           "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist"],
}
STREETS = {
    "en": ["Main Street", "Oak Avenue", "Maple Drive", "Park Road", "High Street", "Church Lane",
           "Cedar Court", "Elm Street", "Victoria Road", "Station Road", "Lakeview Drive", "Mill Lane"],
    "de": ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Dorfstraße", "Bergstraße",
           "Lindenweg", "Kirchplatz", "Goethestraße", "Mühlenweg"],
    "fr": ["rue de la Paix", "avenue Victor Hugo", "rue Pasteur", "boulevard Voltaire",
           "rue de l'Église", "place de la République", "chemin des Vignes", "rue Jean Jaurès"],
    "it": ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Via Dante", "Piazza Duomo",
           "Via Verdi", "Viale Europa"],
    "es": ["Calle Mayor", "Avenida de la Constitución", "Calle Real", "Plaza de España",
           "Calle del Sol", "Paseo de Gracia", "Calle Nueva"],
    "nl": ["Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Schoolstraat", "Nieuwstraat"],
    "pl": ["ul. Polna", "ul. Leśna", "ul. Słoneczna", "ul. Krótka", "ul. Szkolna", "ul. Ogrodowa"],
    "sv": ["Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Parkvägen", "Björkvägen"],
}
MAIL_DOMAINS = {
    "US": ["gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"],
    "GB": ["gmail.com", "btinternet.com", "hotmail.co.uk", "outlook.com"],
    "CA": ["gmail.com", "shaw.ca", "rogers.com", "outlook.com"],
    "AU": ["gmail.com", "bigpond.com", "outlook.com"],
    "IE": ["gmail.com", "eircom.net", "outlook.com"],
    "DE": ["gmx.de", "web.de", "t-online.de", "gmail.com"],
    "AT": ["gmx.at", "aon.at", "gmail.com"],
    "CH": ["bluewin.ch", "gmx.ch", "gmail.com"],
    "FR": ["orange.fr", "free.fr", "laposte.net", "gmail.com"],
    "BE": ["skynet.be", "telenet.be", "gmail.com"],
    "IT": ["libero.it", "virgilio.it", "gmail.com"],
    "ES": ["gmail.com", "hotmail.es", "telefonica.net"],
    "NL": ["ziggo.nl", "kpnmail.nl", "gmail.com"],
    "PL": ["wp.pl", "onet.pl", "gmail.com"],
    "SE": ["telia.com", "gmail.com", "outlook.com"],
}
LANGUAGE_CODE = {"en": "en", "de": "de", "fr": "fr", "it": "it", "es": "es", "nl": "nl", "pl": "pl",
                 "sv": "sv"}

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ê": "e",
                           "ë": "e", "à": "a", "á": "a", "â": "a", "í": "i", "ï": "i", "ó": "o",
                           "ô": "o", "ú": "u", "ù": "u", "ñ": "n", "ç": "c", "ł": "l", "ś": "s",
                           "ż": "z", "ź": "z", "ą": "a", "ę": "e", "ć": "c", "ń": "n", "å": "a",
                           "ø": "o", "'": "", " ": ""})


def ascii_name(s):
    return s.lower().translate(_TRANSLIT)


def postal_code(country, r):
    d = lambda n: "".join(str(r.randrange(10)) for _ in range(n))
    L = lambda: chr(65 + r.randrange(26))
    if country in ("US", "DE", "FR", "IT", "ES"):
        return d(5)
    if country in ("AU", "AT", "BE", "CH"):
        return str(r.randrange(1000, 9999))
    if country == "GB":
        return f"{L()}{L()}{r.randrange(1, 30)} {r.randrange(10)}{L()}{L()}"
    if country == "CA":
        return f"{L()}{r.randrange(10)}{L()} {r.randrange(10)}{L()}{r.randrange(10)}"
    if country == "NL":
        return f"{r.randrange(1000, 9999)} {L()}{L()}"
    if country == "PL":
        return f"{d(2)}-{d(3)}"
    if country == "SE":
        return f"{r.randrange(100, 999)} {d(2)}"
    if country == "IE":
        return f"{L()}{d(2)} {L()}{d(3)}"
    return d(5)


def phone(country, r):
    cc = COUNTRIES[country][2]
    if cc == "1":
        return f"+1 {r.randrange(201, 989)}-{r.randrange(200, 999)}-{r.randrange(10000):04d}"
    return f"+{cc} {r.randrange(100, 999)} {r.randrange(1000000, 9999999)}"
