// Issue 18: how far the page scrolls sideways, and every visible control under 44×44 px.
// A checkbox or radio counts together with its own label (tapping the label ticks it).
(() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const small = [];
  const visible = (el) => {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && rect.width > 1 && rect.height > 1;
  };
  for (const el of document.querySelectorAll(selector)) {
    let boxes = [el.getBoundingClientRect()];
    if (el.matches('input[type=checkbox], input[type=radio]') && el.labels) {
      boxes = boxes.concat([...el.labels].map((label) => label.getBoundingClientRect()));
    }
    boxes = boxes.filter((box) => box.width > 1 && box.height > 1);
    if (!boxes.length || !(visible(el) || [...(el.labels || [])].some(visible))) continue;
    const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
    const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
    const width = right - left, height = bottom - top;
    if (width < 44 - 0.5 || height < 44 - 0.5) {
      const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id || '').trim();
      small.push(`${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${name.slice(0, 40)}" ${Math.round(width)}x${Math.round(height)}`);
    }
  }
  return {
    overflow: document.scrollingElement.scrollWidth - window.innerWidth,
    small: small,
  };
})
