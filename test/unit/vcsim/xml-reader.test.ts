import { describe, expect, it } from 'vitest';
import { child, childText, parseBoolean, parseXml, readMoRef, XmlParseError } from '#local/vcsim/soap/xml-reader';

describe('vcsim xml-reader', () => {
  it('resolves xsi:type by namespace URI whatever the prefix, and strips the type value prefix', () => {
    // Prepare
    const xml = `<r xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:vim25="urn:vim25">
      <a XMLSchema-instance:type="vim25:VirtualVmxnet3"/><b i:type="xsd:string"/><c i:type="TraversalSpec"/></r>`;
    // Act
    const root = parseXml(xml);
    // Assess
    expect(root.children.map((c) => c.xsiType)).toEqual(['VirtualVmxnet3', 'string', 'TraversalSpec']);
  });

  it('ignores an attribute literally named xsi:type when xsi is bound to another namespace', () => {
    // Act
    const root = parseXml('<r xmlns:xsi="urn:not-xsi"><a xsi:type="Evil"/></r>');
    // Assess
    expect(root.children[0]?.xsiType).toBeUndefined();
  });

  it('reads local names and namespaces of prefixed and default-namespace elements alike', () => {
    // Act
    const root = parseXml(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><v:Login xmlns:v="urn:vim25"><v:userName> u </v:userName></v:Login></s:Body></s:Envelope>',
    );
    const login = child(child(root, 'Body')!, 'Login')!;
    // Assess
    expect(root.local).toBe('Envelope');
    expect(login.uri).toBe('urn:vim25');
    expect(childText(login, 'userName')).toBe('u');
  });

  it('keeps unknown attributes and reads morefs with their type attribute', () => {
    // Act
    const node = parseXml('<_this type="VirtualMachine" versionId="8.0.3.0" serverGuid="x">vm-42</_this>');
    // Assess
    expect(readMoRef(node)).toEqual({ type: 'VirtualMachine', value: 'vm-42' });
    expect(node.attributes['versionId']).toBe('8.0.3.0');
  });

  it('accepts true/false and rbvmomi 1/0 booleans', () => {
    // Assess
    expect([parseBoolean('true'), parseBoolean('0'), parseBoolean(' 1 '), parseBoolean('maybe')]).toEqual([
      true,
      false,
      true,
      undefined,
    ]);
  });

  it('rejects DOCTYPE declarations, excessive depth and malformed input with XmlParseError', () => {
    // Assess
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(XmlParseError);
    expect(() => parseXml(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`)).toThrow(/nesting/);
    expect(() => parseXml('<a><b></a>')).toThrow(XmlParseError);
    expect(() => parseXml('')).toThrow(XmlParseError);
  });
});
