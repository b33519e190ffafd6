package io.github.ssestarter.benchmarks.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one scenario: a row per metric, a column per server and, when the server results
 * are compared with (the starter's, unless the scenario says otherwise) is among them, a column per
 * other server with the ratio of the two.
 */
final class ResultTable {

	private final String title;

	private final List<String> servers;

	private final Map<String, Map<String, Double>> rows = new LinkedHashMap<>();

	private final List<String> notes = new ArrayList<>();

	private final String ours;

	ResultTable(String title, List<String> servers) {
		this(title, servers, Servers.OURS);
	}

	/**
	 * Creates a table whose ratio columns are {@code ours / other}.
	 */
	ResultTable(String title, List<String> servers, String ours) {
		this.title = title;
		this.servers = List.copyOf(servers);
		this.ours = ours;
	}

	/**
	 * Records one value.
	 * @param server the column
	 * @param metric the row, with its unit, e.g. {@code p99 latency (ms)}
	 * @param value the value; NaN shows as a dash
	 */
	void put(String server, String metric, double value) {
		this.rows.computeIfAbsent(metric, (key) -> new LinkedHashMap<>()).put(server, value);
	}

	/**
	 * Adds a line under the table, e.g. why a server has no results.
	 */
	void note(String note) {
		this.notes.add(note);
	}

	String toMarkdown() {
		String ours = this.ours;
		List<String> baselines = this.servers.contains(ours)
				? this.servers.stream().filter((server) -> !server.equals(ours)).toList() : List.of();
		StringBuilder out = new StringBuilder().append("### ").append(this.title).append("\n\n| metric |");
		this.servers.forEach((server) -> out.append(' ').append(server).append(" |"));
		baselines.forEach((baseline) -> out.append(' ').append(ours).append(" / ").append(baseline).append(" |"));
		out.append("\n|---|");
		this.servers.forEach((server) -> out.append("---:|"));
		baselines.forEach((baseline) -> out.append("---:|"));
		out.append('\n');
		this.rows.forEach((metric, values) -> {
			out.append("| ").append(metric).append(" |");
			this.servers.forEach((server) -> out.append(' ').append(format(values.get(server))).append(" |"));
			baselines.forEach((baseline) -> out.append(' ').append(ratio(values.get(ours), values.get(baseline))).append(" |"));
			out.append('\n');
		});
		if (!this.notes.isEmpty()) {
			out.append('\n');
			this.notes.forEach((note) -> out.append("- ").append(note).append('\n'));
		}
		return out.toString();
	}

	static String format(Double value) {
		if (value == null || value.isNaN()) {
			return "-";
		}
		double v = value;
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return String.format(Locale.ROOT, "%,d", (long) v);
		}
		if (Math.abs(v) >= 100) {
			return String.format(Locale.ROOT, "%,.0f", v);
		}
		if (Math.abs(v) >= 1) {
			return String.format(Locale.ROOT, "%.2f", v);
		}
		return String.format(Locale.ROOT, "%.3f", v);
	}

	private static String ratio(Double ours, Double baseline) {
		if (ours == null || baseline == null || ours.isNaN() || baseline.isNaN() || baseline == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.2f", ours / baseline);
	}

}
