package io.github.ssestarter.benchmarks.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner's command-line options. Each option is {@code --name value} or {@code --name=value};
 * lists are comma-separated. Options a scenario has its own default for are optional here.
 */
public final class RunnerOptions {

	/** A rate meaning "publish a burst as fast as possible". */
	public static final double BURST = 0;

	/** The scenarios, in the order they run. */
	public static final List<String> SCENARIOS = List.of("capacity", "fanout", "reconnect", "slow", "fanout2",
			"disconnect");

	/**
	 * The scenarios {@code all} runs: all but {@code fanout2}, which needs a Redis server, and
	 * {@code disconnect}, which waits up to a minute per point for servers that never notice.
	 */
	public static final List<String> ALL = List.of("capacity", "fanout", "reconnect", "slow");

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

	private static final Set<String> KNOWN = Set.of("scenario", "servers", "subscribers", "rate", "duration", "warmup",
			"burst", "payload", "slow-percent", "heap", "jvm-args", "client-threads", "source-addresses",
			"max-handshakes", "connect-rate", "close", "log-dir", "out", "help");

	private final Map<String, String> values;

	private RunnerOptions(Map<String, String> values) {
		this.values = values;
	}

	/**
	 * Parses the command line.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException naming the offending argument
	 */
	public static RunnerOptions parse(String... args) {
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Expected an option starting with --, got '" + arg + "'");
			}
			String name = arg.substring(2);
			String value;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (name.equals("help")) {
				value = "true";
			}
			else if (i + 1 < args.length) {
				value = args[++i];
			}
			else {
				throw new IllegalArgumentException("Option --" + name + " needs a value");
			}
			if (!KNOWN.contains(name)) {
				throw new IllegalArgumentException("Unknown option --" + name + "; known: " + KNOWN);
			}
			values.put(name, value);
		}
		RunnerOptions options = new RunnerOptions(values);
		options.scenarios();
		options.servers();
		options.closeModes();
		options.subscribers(List.of());
		return options;
	}

	/**
	 * The usage text.
	 * @return the text
	 */
	public static String usage() {
		return """
				Usage: java -Xmx1g -jar sse-benchmarks.jar [options]
				  --scenario LIST        capacity,fanout,reconnect,slow or all (default all), or fanout2:
				                         fan-out from two instances of each server that shares topics
				                         through Redis (starter-redis; Redis on 127.0.0.1:6379), one
				                         instance of the others; e.g. --servers starter,starter-redis;
				                         or disconnect: N idle streams, all closed by the client at once,
				                         time until the server has released them (not part of all)
				  --servers LIST         servers under test (default emitter,flux; also starter,
				                         starter-redis; on Spring WebFlux: flux-webflux,
				                         starter-webflux, compared with each other;
				                         on Jetty 12: starter-jetty; no framework, the
				                         machine's floor: raw)
				  --subscribers LIST     subscriber counts (defaults: capacity 19000; fanout 1000,5000,10000;
				                         reconnect 5000; slow 1000; fanout2 1000,5000, in total;
				                         disconnect 10000); fanout2 alone also takes 0: the
				                         publisher with no subscriber, for its own publish rate)
				  --rate LIST            events/s, 'burst' for flat out (defaults: fanout 1,10,100,burst;
				                         fanout2 10,burst;
				                         reconnect 10; slow 50; those two use the first number given)
				  --duration D           measurement per point, e.g. 15s, 500ms, 1m (default 15s;
				                         the slow scenario runs twice as long; disconnect: the idle
				                         windows, default 15s, one heartbeat period of the starter)
				  --close LIST           how the disconnect scenario closes: fin (normally, as a
				                         browser tab), reset (RST), or both (default fin,reset)
				  --warmup D             warm-up before each fan-out series and reconnect storm (default 3s)
				  --burst N              events per burst (default 1000)
				  --payload N            event data size in bytes (default 64; slow scenario 4096)
				  --slow-percent P       share of stalled subscribers in the slow scenario (default 1)
				  --heap SIZE            server heap, -Xms and -Xmx (default 2g)
				  --jvm-args "ARGS"      more server JVM flags, space-separated
				  --client-threads N     selector threads of the load generator (default 2)
				  --source-addresses N   loopback source addresses 127.0.0.2... (default 8)
				  --max-handshakes N     connections between connect and request sent at once (default 512)
				  --connect-rate N       connections started per second (default 5000)
				  --log-dir DIR          server logs (default: bench-logs beside the jar)
				  --out FILE             also append the Markdown tables to FILE
				""";
	}

	/**
	 * Whether help was asked for.
	 * @return whether {@code --help} was given
	 */
	public boolean help() {
		return this.values.containsKey("help");
	}

	/**
	 * The scenarios to run, in canonical order.
	 * @return scenario names
	 */
	public List<String> scenarios() {
		List<String> asked = list("scenario").orElse(List.of("all"));
		if (asked.contains("all")) {
			return ALL;
		}
		for (String name : asked) {
			if (!SCENARIOS.contains(name)) {
				throw new IllegalArgumentException("Unknown scenario '" + name + "'; known: " + SCENARIOS);
			}
		}
		return SCENARIOS.stream().filter(asked::contains).toList();
	}

	/**
	 * The servers under test.
	 * @return the servers, in the order given
	 */
	public List<ServerSpec> servers() {
		return list("servers").orElse(List.of("emitter", "flux")).stream().map(Servers::byName).toList();
	}

	/**
	 * The subscriber counts, or the scenario's default.
	 * @param defaults the scenario's default
	 * @return the counts
	 */
	public List<Integer> subscribers(List<Integer> defaults) {
		return list("subscribers").map((items) -> items.stream().map(this::subscriberCount).toList())
			.orElse(defaults);
	}

	/**
	 * A subscriber count: positive, or {@code 0} when {@code fanout2} is the only scenario (it then
	 * measures the publisher alone, e.g. its "events published per second" in a burst with nobody
	 * to deliver to).
	 */
	private int subscriberCount(String item) {
		if (item.trim().equals("0") && scenarios().equals(List.of("fanout2"))) {
			return 0;
		}
		return positiveInt("subscribers", item);
	}

	/**
	 * The rates, {@link #BURST} for a burst, or the scenario's default.
	 * @param defaults the scenario's default
	 * @return the rates in events per second
	 */
	public List<Double> rates(List<Double> defaults) {
		return list("rate").map((items) -> items.stream().map(RunnerOptions::rate).toList()).orElse(defaults);
	}

	/**
	 * The first fixed rate given, or the scenario's default.
	 * @param defaultRate the scenario's default
	 * @return events per second
	 */
	public double fixedRate(double defaultRate) {
		return rates(List.of(defaultRate)).stream().filter((rate) -> rate > 0).findFirst().orElse(defaultRate);
	}

	/**
	 * The measurement time per point.
	 * @return the duration
	 */
	public Duration duration() {
		return duration("duration", Duration.ofSeconds(15));
	}

	/**
	 * The measurement time per point, or the scenario's default.
	 * @param defaultValue the scenario's default
	 * @return the duration
	 */
	public Duration duration(Duration defaultValue) {
		return duration("duration", defaultValue);
	}

	/**
	 * How the disconnect scenario closes its connections, in the order given.
	 * @return {@code fin} (normally) and/or {@code reset}
	 */
	public List<String> closeModes() {
		List<String> modes = list("close").orElse(List.of("fin", "reset"));
		for (String mode : modes) {
			if (!mode.equals("fin") && !mode.equals("reset")) {
				throw new IllegalArgumentException("--close takes fin and/or reset, got '" + mode + "'");
			}
		}
		return modes;
	}

	/**
	 * The warm-up before measuring.
	 * @return the duration
	 */
	public Duration warmup() {
		return duration("warmup", Duration.ofSeconds(3));
	}

	/**
	 * The number of events in a burst.
	 * @return the count
	 */
	public int burst() {
		return intValue("burst", 1000);
	}

	/**
	 * The payload size, or the scenario's default.
	 * @param defaultSize the scenario's default
	 * @return bytes
	 */
	public int payload(int defaultSize) {
		return intValue("payload", defaultSize);
	}

	/**
	 * The share of subscribers that stop reading in the slow scenario.
	 * @return percent
	 */
	public double slowPercent() {
		return Double.parseDouble(this.values.getOrDefault("slow-percent", "1"));
	}

	/**
	 * The server heap size, used for both {@code -Xms} and {@code -Xmx}.
	 * @return a size like {@code 512m}
	 */
	public String heap() {
		String heap = this.values.getOrDefault("heap", "2g");
		if (!heap.matches("\\d+[kmgKMG]?")) {
			throw new IllegalArgumentException("--heap must look like 512m, got '" + heap + "'");
		}
		return heap;
	}

	/**
	 * More JVM flags for the servers.
	 * @return the flags
	 */
	public List<String> jvmArgs() {
		String args = this.values.getOrDefault("jvm-args", "").trim();
		return args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+"));
	}

	/**
	 * The number of selector threads of the load generator.
	 * @return the count
	 */
	public int clientThreads() {
		return intValue("client-threads", 2);
	}

	/**
	 * The number of loopback source addresses to spread connections over.
	 * @return the count
	 */
	public int sourceAddresses() {
		return intValue("source-addresses", 8);
	}

	/**
	 * How many connections may be in progress at once.
	 * @return the count
	 */
	public int maxHandshakes() {
		return intValue("max-handshakes", 512);
	}

	/**
	 * How many connections the load generator starts per second.
	 * @return the rate
	 */
	public int connectRate() {
		return intValue("connect-rate", 5000);
	}

	/**
	 * Where the server logs go, when given.
	 * @return the folder
	 */
	public Optional<Path> logDir() {
		return Optional.ofNullable(this.values.get("log-dir")).map(Path::of);
	}

	/**
	 * The file the Markdown tables are appended to, when given.
	 * @return the file
	 */
	public Optional<Path> out() {
		return Optional.ofNullable(this.values.get("out")).map(Path::of);
	}

	private Optional<List<String>> list(String name) {
		String value = this.values.get(name);
		if (value == null) {
			return Optional.empty();
		}
		List<String> items = new ArrayList<>();
		for (String item : value.split(",")) {
			if (!item.isBlank()) {
				items.add(item.trim().toLowerCase(Locale.ROOT));
			}
		}
		if (items.isEmpty()) {
			throw new IllegalArgumentException("--" + name + " needs at least one value");
		}
		return Optional.of(items);
	}

	private int intValue(String name, int defaultValue) {
		String value = this.values.get(name);
		return (value != null) ? positiveInt(name, value) : defaultValue;
	}

	private static int positiveInt(String name, String value) {
		try {
			int parsed = Integer.parseInt(value.trim());
			if (parsed > 0) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("--" + name + " needs a positive whole number, got '" + value + "'");
	}

	private static double rate(String value) {
		if (value.equals("burst")) {
			return BURST;
		}
		try {
			double rate = Double.parseDouble(value);
			if (rate >= 0) {
				return rate;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("--rate needs events per second or 'burst', got '" + value + "'");
	}

	private Duration duration(String name, Duration defaultValue) {
		String value = this.values.get(name);
		if (value == null) {
			return defaultValue;
		}
		Matcher matcher = DURATION.matcher(value.trim());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("--" + name + " needs a duration like 15s, 500ms or 2m, got '" + value + "'");
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
		return switch (unit) {
			case "ms" -> Duration.ofMillis(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofSeconds(amount);
		};
	}

}
