package org.opencache.common.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSelectorTest {

    @Test
    void nullMeansAll() throws InvalidExpressionException {
        NodeSelector selector = NodeSelector.parse(null);

        assertSame(NodeSelector.all(), selector);
        assertTrue(selector.isAll());
        assertTrue(selector.ids().isEmpty());
        assertEquals("*", selector.canonical());
        assertEquals("*", selector.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", " * ", "\t*\n"})
    void wildcardAloneIsAll(String input) throws InvalidExpressionException {
        assertSame(NodeSelector.all(), NodeSelector.parse(input));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1000, Integer.MAX_VALUE})
    void allMatchesEveryNode(int nodeId) {
        assertTrue(NodeSelector.all().matches(nodeId));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        // input;            canonical
        "3 => 3",
        "0 => 0",
        "1|2|3 => 1|2|3",
        "3|1|2 => 1|2|3",
        " 1 | 2 => 1|2",
        "1\t|\t2 => 1|2",
        "1|1|2|1 => 1|2",
        "007|7 => 7",
        "00 => 0",
        "2147483647 => 2147483647",
        "0002147483647 => 2147483647",
    })
    void parsesIds(String input, String canonical) throws InvalidExpressionException {
        NodeSelector selector = NodeSelector.parse(input);

        assertFalse(selector.isAll());
        assertEquals(canonical, selector.canonical());
        assertEquals(canonical, selector.toString());
        List<Integer> expected = Arrays.stream(canonical.split("\\|")).map(Integer::valueOf).toList();
        assertEquals(expected, List.copyOf(selector.ids()), "ids in ascending order");
        assertEquals(selector, NodeSelector.parse(canonical));
    }

    @Test
    void equalSelectionsAreEqualWhateverTheOrder() throws InvalidExpressionException {
        assertEquals(NodeSelector.parse("1|2|3"), NodeSelector.parse("3|2|1"));
        assertEquals(NodeSelector.parse("1|2|3").canonical(), NodeSelector.parse("3|2|1").canonical());
    }

    @Test
    void matchesOnlyListedIds() throws InvalidExpressionException {
        NodeSelector selector = NodeSelector.parse("1|3");

        assertTrue(selector.matches(1));
        assertTrue(selector.matches(3));
        assertFalse(selector.matches(0));
        assertFalse(selector.matches(2));
        assertFalse(selector.matches(-1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", value = {
        "abc => node-id 'abc': not a node id (a non-negative integer)",
        "'' => node-id '': empty; use '*' for all nodes",
        "'  ' => node-id '': empty; use '*' for all nodes",
        "-1 => node-id '-1': node ids are never negative",
        "-0 => node-id '-0': node ids are never negative",
        "2147483648 => node-id '2147483648': node id is larger than 2147483647",
        "99999999999999999999 => node-id '99999999999999999999': node id is larger than 2147483647",
        "1.5 => node-id '1.5': not a node id (a non-negative integer)",
        "+1 => node-id '+1': not a node id (a non-negative integer)",
        "1e3 => node-id '1e3': not a node id (a non-negative integer)",
        "0x1 => node-id '0x1': not a node id (a non-negative integer)",
        "1 2 => node-id '1 2': not a node id (a non-negative integer)",
        "\u0663 => node-id '\u0663': not a node id (a non-negative integer)",
        "** => node-id '**': not a node id (a non-negative integer)",
        "1||2 => part 2 of node-id '1||2' is empty",
        "|1 => part 1 of node-id '|1' is empty",
        "1| => part 2 of node-id '1|' is empty",
        "*|1 => part 1 of node-id '*|1': '*' means all nodes and cannot be combined with other parts",
        "1|* => part 2 of node-id '1|*': '*' means all nodes and cannot be combined with other parts",
        "1|abc => part 2 of node-id '1|abc': not a node id (a non-negative integer)",
        "1|2|-3 => part 3 of node-id '1|2|-3': node ids are never negative",
    })
    void rejectsInvalidSelectors(String input, String expectedMessage) {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> NodeSelector.parse(input));

        assertEquals(expectedMessage, thrown.getMessage());
    }

    @Test
    void idsCannotBeModified() throws InvalidExpressionException {
        NodeSelector selector = NodeSelector.parse("1|2");

        assertThrows(UnsupportedOperationException.class, () -> selector.ids().add(3));
        assertThrows(UnsupportedOperationException.class, () -> NodeSelector.all().ids().add(3));
    }

    @Test
    void constructorCopiesAndSortsTheIds() {
        Set<Integer> source = new HashSet<>(Set.of(5, 2, 9));
        NodeSelector selector = new NodeSelector(false, source);

        source.add(1);

        assertEquals(List.of(2, 5, 9), List.copyOf(selector.ids()));
        assertEquals("2|5|9", selector.canonical());
    }

    @Test
    void constructorRejectsInconsistentSelectors() {
        // An empty selection must never silently turn into "every node".
        assertThrows(IllegalArgumentException.class, () -> new NodeSelector(false, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new NodeSelector(true, Set.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new NodeSelector(false, Set.of(-1)));
        assertThrows(IllegalArgumentException.class, () -> new NodeSelector(false, new HashSet<>(Arrays.asList(1, null))));
        assertThrows(NullPointerException.class, () -> new NodeSelector(false, null));
    }
}
