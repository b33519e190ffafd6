package io.github.ssestarter.sample;

/**
 * A message to a team, as its members receive it.
 *
 * @param team the team
 * @param from the member who sent it
 * @param text what it says
 */
record TeamMessage(String team, String from, String text) {

}
