package io.siyu.journey.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The condition language: what it accepts is written back in one canonical form; everything else is refused. */
class FlowConditionTest {
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "${contact.tier == '金卡'} => ${(contact.tier == '金卡')}",
      "${contact.rfm_class != null && contact.rfm_class.startsWith('重要')} => ${((contact.rfm_class != null) && contact.rfm_class.startsWith('重要'))}",
      "${contact.tags.contains('会员/VIP')} => ${contact.tags.contains('会员/VIP')}",
      "${ contact.points_balance ge 100 or not (contact.tier eq \"普通\") } => ${((contact.points_balance >= 100) || !((contact.tier == '普通')))}",
      "${contact.attributes.city == '上海'} => ${(contact.attributes['city'] == '上海')}",
      "${contact.attributes['shoe-size'] > 40.50} => ${(contact.attributes['shoe-size'] > 40.50)}",
      "${empty contact.name} => ${empty contact.name}",
      "${siyuBranch == 'A'} => ${(siyuBranch == 'A')}",
      "${true} => ${true}"})
  void acceptedConditionsAreWrittenBackCanonically(String text, String canonical) throws Exception {
    assertEquals(canonical, FlowCondition.canonical(text));
    assertEquals(canonical, FlowCondition.canonical(canonical), "the canonical form is a fixed point");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "${execution.getClass()}",
      "${contact.tier.getClass().forName('java.lang.Runtime')}",
      "${contact.getClass()}",
      "${contact.class}",
      "${contact.tier.toString() == 'x'}",
      "${now() > 0}",
      "${sendWindow.opens(execution)}",
      "${contact.tags}",
      "${contact.password == 'x'}",
      "${contact.tier == 'a' ? true : false}",
      "${contact.points_balance + 1 > 2}",
      "${contact.tier == 'it''s'}",
      "${contact.tier == 'a\\\\'}",
      "${contact.tier == '${x}'}",
      "#{contact.tier == 'x'}",
      "contact.tier == 'x'",
      "${contact.tier == 'x'} ${true}",
      "${contact.attributes['a'.concat('b')] == 1}",
      "${contact.tier.startsWith(contact.name)}",
      "${x = 1}",
      "${contact.tier == 'x';}"})
  void everythingElseIsRefused(String text) {
    assertThrows(FlowCondition.Invalid.class, () -> FlowCondition.canonical(text), text);
  }

  @Test
  void limitsHold() {
    assertThrows(FlowCondition.Invalid.class, () -> FlowCondition.canonical("${" + "!".repeat(40) + "true}"));
    assertThrows(FlowCondition.Invalid.class, () -> FlowCondition.canonical("${" + "(".repeat(40) + "true" + ")".repeat(40) + "}"));
    assertThrows(FlowCondition.Invalid.class, () -> FlowCondition.canonical("${contact.tier == '" + "x".repeat(5000) + "'}"));
  }

  @Test
  void branchNamesArePlainText() {
    assertTrue(FlowCondition.isBranchName("A"));
    assertTrue(FlowCondition.isBranchName("对照组"));
    assertFalse(FlowCondition.isBranchName("B' or true or 'x"));
    assertFalse(FlowCondition.isBranchName(""));
  }
}
